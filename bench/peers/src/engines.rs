//! Each engine set up once: its programs compiled and its per-conversation
//! input built before any timing, leaving a closure that decides conversation
//! `i` (the index of the first rule that matches, or `None`) and does only
//! rule evaluation.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::{Value as Json, json};

use crate::emit::{self, RegoForm};
use crate::features::Row;
use crate::ruleset::Rule;

/// Decides conversation `i`: the first matching rule, or `None`.
pub type Decide = Box<dyn FnMut(usize) -> Result<Option<usize>, String>>;

/// An engine ready to decide.
pub struct Engine {
    /// What the table calls it.
    pub name: &'static str,
    /// The crate and version.
    pub krate: &'static str,
    /// The decision function.
    pub decide: Decide,
}

fn err(what: &str) -> impl Fn(String) -> String + '_ {
    move |e| format!("{what}: {e}")
}

/// The feature object `{"f": {...}}` every peer reads.
fn input(row: &Row) -> Json {
    json!({ "f": Json::Object(row.f.clone()) })
}

/// baton: `Rules::first_match_prepared` on the stored
/// `{"f": {...}, "messages": []}`, read beforehand by `Rules::prepare`.
pub fn baton(rules: &[Rule], rows: &[Row]) -> Result<(Engine, usize), String> {
    let text = emit::baton(rules);
    let compiled = match baton::Rules::from_text("peers.baton", &text) {
        Ok(r) => r,
        Err(e) => return Err(format!("the generated baton rules do not load:\n{e}")),
    };
    for w in compiled.warnings() {
        eprintln!("{}", baton::diagnostic::render_plain(w));
    }
    let warnings = compiled.warnings().iter().count();
    if compiled.graph().rules.len() != rules.len() {
        return Err(format!(
            "baton loaded {} rules, the description has {}",
            compiled.graph().rules.len(),
            rules.len()
        ));
    }
    // Like every peer's context, baton's input is read before timing:
    // `Rules::prepare` reads each conversation's fields once. The documents
    // live as long as the program, so the prepared inputs can borrow them.
    let docs: &'static [Json] = Box::leak(rows.iter().map(|r| r.doc.clone()).collect());
    let prepared = docs
        .iter()
        .map(|d| compiled.prepare(d).map_err(|e| e.message))
        .collect::<Result<Vec<_>, _>>()?;
    let options = baton::runtime::Options {
        now: baton::runtime::time::parse_rfc3339("2026-11-28T00:00:00Z"),
        explain: false,
    };
    let decide: Decide =
        Box::new(move |i| Ok(compiled.first_match_prepared(&prepared[i], &options)));
    Ok((
        Engine {
            name: "baton",
            krate: "baton (this repository)",
            decide,
        },
        warnings,
    ))
}

/// CEL: one `cel::Program` per rule, one `Context` per conversation holding
/// the map `f`.
pub fn cel(rules: &[Rule], rows: &[Row]) -> Result<Engine, String> {
    let programs = rules
        .iter()
        .map(|r| {
            let src = emit::cel(&r.when);
            cel::Program::compile(&src).map_err(|e| format!("CEL {src:?}: {e}"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let env = Arc::new(cel::Env::stdlib());
    let contexts: Vec<cel::Context<'static, 'static>> = rows
        .iter()
        .map(|row| {
            let f: HashMap<String, cel::Value> = row
                .f
                .iter()
                .map(|(k, v)| (k.clone(), cel_value(v)))
                .collect();
            let mut context = cel::Context::with_env(env.clone());
            context.add_variable_from_value("f", f);
            context
        })
        .collect();
    let decide: Decide = Box::new(move |i| {
        let context = &contexts[i];
        for (k, p) in programs.iter().enumerate() {
            match p.execute(context) {
                Ok(cel::Value::Bool(true)) => return Ok(Some(k)),
                Ok(cel::Value::Bool(false)) => {}
                Ok(other) => return Err(format!("rule {k} gave {other:?}")),
                Err(e) => return Err(format!("rule {k}: {e}")),
            }
        }
        Ok(None)
    });
    Ok(Engine {
        name: "CEL",
        krate: "cel 0.15.0",
        decide,
    })
}

fn cel_value(v: &Json) -> cel::Value {
    match v {
        Json::Bool(b) => cel::Value::Bool(*b),
        Json::Number(n) => cel::Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        Json::String(s) => cel::Value::from(s.clone()),
        _ => cel::Value::Null,
    }
}

/// The Rego policy and the per-conversation inputs, shared by every way of
/// running it.
fn rego_setup(
    rules: &[Rule],
    rows: &[Row],
    form: RegoForm,
) -> Result<(regorus::Engine, Vec<regorus::Value>), String> {
    let mut engine = regorus::Engine::new();
    engine
        .add_policy("peers.rego".into(), emit::rego(rules, form))
        .map_err(|e| format!("the generated Rego does not load: {e}"))?;
    let inputs = rows
        .iter()
        .map(|r| regorus::Value::from(input(r)))
        .collect();
    Ok((engine, inputs))
}

fn rego_decision(v: &regorus::Value) -> Result<Option<usize>, String> {
    match v.as_i64() {
        Ok(-1) => Ok(None),
        Ok(k) if k >= 0 => Ok(Some(k as usize)),
        _ => Err(format!("decision is {v}")),
    }
}

const ENTRY: &str = "data.peers.decision";

/// Rego on regorus's bytecode VM (RVM): the policy compiled once to a
/// program, each conversation's input set and the entry point executed.
pub fn rego_vm(rules: &[Rule], rows: &[Row]) -> Result<Engine, String> {
    rego_vm_as(rules, rows, RegoForm::ElseChain)
}

/// Rego on the bytecode VM, the minimum of the set of matching rules.
pub fn rego_vm_min(rules: &[Rule], rows: &[Row]) -> Result<Engine, String> {
    rego_vm_as(rules, rows, RegoForm::MinOfSet)
}

fn rego_vm_as(rules: &[Rule], rows: &[Row], form: RegoForm) -> Result<Engine, String> {
    let (mut engine, inputs) = rego_setup(rules, rows, form)?;
    let entry: regorus::Rc<str> = ENTRY.into();
    let compiled = engine
        .compile_with_entrypoint(&entry)
        .map_err(|e| err("Rego compile")(e.to_string()))?;
    let program =
        regorus::languages::rego::compiler::Compiler::compile_from_policy(&compiled, &[ENTRY])
            .map_err(|e| err("Rego to RVM")(e.to_string()))?;
    let mut vm = regorus::rvm::vm::RegoVM::new_with_policy(compiled);
    vm.load_program(program);
    vm.set_data(regorus::Value::new_object())
        .map_err(|e| err("RVM data")(e.to_string()))?;
    let decide: Decide = Box::new(move |i| {
        vm.set_input(inputs[i].clone());
        let v = vm
            .execute_entry_point_by_index(0)
            .map_err(|e| e.to_string())?;
        rego_decision(&v)
    });
    Ok(match form {
        RegoForm::ElseChain => Engine {
            name: "Rego (RVM)",
            krate: "regorus 0.14.1, bytecode VM, `else` chain",
            decide,
        },
        RegoForm::MinOfSet => Engine {
            name: "Rego (RVM, min of set)",
            krate: "regorus 0.14.1, bytecode VM, min of matching set",
            decide,
        },
    })
}

/// Rego on regorus's tree-walking interpreter: `Engine::set_input` and
/// `Engine::eval_rule`, the long-standing API.
pub fn rego_interpreter(rules: &[Rule], rows: &[Row]) -> Result<Engine, String> {
    rego_interpreter_as(rules, rows, RegoForm::ElseChain)
}

/// Rego on the interpreter, the minimum of the set of matching rules.
pub fn rego_interpreter_min(rules: &[Rule], rows: &[Row]) -> Result<Engine, String> {
    rego_interpreter_as(rules, rows, RegoForm::MinOfSet)
}

fn rego_interpreter_as(rules: &[Rule], rows: &[Row], form: RegoForm) -> Result<Engine, String> {
    let (mut engine, inputs) = rego_setup(rules, rows, form)?;
    let decide: Decide = Box::new(move |i| {
        engine.set_input(inputs[i].clone());
        let v = engine
            .eval_rule(ENTRY.to_string())
            .map_err(|e| e.to_string())?;
        rego_decision(&v)
    });
    Ok(match form {
        RegoForm::ElseChain => Engine {
            name: "Rego (interpreter)",
            krate: "regorus 0.14.1, interpreter, `else` chain",
            decide,
        },
        RegoForm::MinOfSet => Engine {
            name: "Rego (interpreter, min of set)",
            krate: "regorus 0.14.1, interpreter, min of matching set",
            decide,
        },
    })
}

/// JSONLogic: one compiled `Logic` per rule, each conversation parsed once
/// into a `ParsedData`, evaluated into one arena reset per conversation.
pub fn jsonlogic(rules: &[Rule], rows: &[Row]) -> Result<Engine, String> {
    let engine = datalogic_rs::Engine::new();
    let logics = rules
        .iter()
        .map(|r| {
            let src = emit::jsonlogic(&r.when);
            engine
                .compile(src.as_str())
                .map_err(|e| format!("JSONLogic {src}: {e}"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let data = rows
        .iter()
        .map(|r| {
            datalogic_rs::ParsedData::from_json(&input(r).to_string()).map_err(|e| e.to_string())
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut arena = datalogic_rs::bumpalo::Bump::new();
    let decide: Decide = Box::new(move |i| {
        let mut found = None;
        for (k, logic) in logics.iter().enumerate() {
            let v = engine
                .evaluate(logic, &data[i], &arena)
                .map_err(|e| format!("rule {k}: {e}"))?;
            match v.as_bool() {
                Some(true) => {
                    found = Some(k);
                    break;
                }
                Some(false) => {}
                None => return Err(format!("rule {k} gave {v}")),
            }
        }
        arena.reset();
        Ok(found)
    });
    Ok(Engine {
        name: "JSONLogic",
        krate: "datalogic-rs 5.4.0",
        decide,
    })
}

/// GoRules: one compiled zen expression per rule, one `Scope` per
/// conversation, one VM reused.
pub fn zen(rules: &[Rule], rows: &[Row]) -> Result<Engine, String> {
    let exprs = rules
        .iter()
        .map(|r| {
            let src = emit::zen(&r.when);
            zen_expression::compile_expression(&src).map_err(|e| format!("zen {src:?}: {e}"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let scopes: Vec<zen_expression::scope::Scope> = rows
        .iter()
        .map(|r| zen_expression::scope::Scope::new(input(r).into()))
        .collect();
    let mut vm = zen_expression::vm::VM::new();
    let decide: Decide = Box::new(move |i| {
        let scope = &scopes[i];
        for (k, e) in exprs.iter().enumerate() {
            let v = e
                .evaluate_with_scope(scope, &mut vm)
                .map_err(|e| format!("rule {k}: {e}"))?;
            match v.as_bool() {
                Some(true) => return Ok(Some(k)),
                Some(false) => {}
                None => return Err(format!("rule {k} gave {v:?}")),
            }
        }
        Ok(None)
    });
    Ok(Engine {
        name: "GoRules (zen)",
        krate: "zen-expression 2.1.6",
        decide,
    })
}

/// rhai: one compiled expression `AST` per rule, one `Scope` per
/// conversation holding the object map `f`.
pub fn rhai(rules: &[Rule], rows: &[Row]) -> Result<Engine, String> {
    let engine = rhai::Engine::new();
    let asts = rules
        .iter()
        .map(|r| {
            let src = emit::rhai(&r.when);
            engine
                .compile_expression(&src)
                .map_err(|e| format!("rhai {src:?}: {e}"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut scopes: Vec<rhai::Scope<'static>> = rows
        .iter()
        .map(|row| {
            let mut f = rhai::Map::new();
            for (k, v) in &row.f {
                let v = match v {
                    Json::Bool(b) => rhai::Dynamic::from_bool(*b),
                    Json::Number(n) => rhai::Dynamic::from_float(n.as_f64().unwrap_or(f64::NAN)),
                    Json::String(s) => rhai::Dynamic::from(s.clone()),
                    _ => rhai::Dynamic::UNIT,
                };
                f.insert(k.as_str().into(), v);
            }
            let mut scope = rhai::Scope::new();
            scope.push("f", f);
            scope
        })
        .collect();
    let decide: Decide = Box::new(move |i| {
        let scope = &mut scopes[i];
        for (k, ast) in asts.iter().enumerate() {
            if engine
                .eval_ast_with_scope::<bool>(scope, ast)
                .map_err(|e| format!("rule {k}: {e}"))?
            {
                return Ok(Some(k));
            }
        }
        Ok(None)
    });
    Ok(Engine {
        name: "rhai",
        krate: "rhai 1.27.0 (sync)",
        decide,
    })
}

/// evalexpr: one operator tree per rule, one `HashMapContext` per
/// conversation with a variable per feature (`f.sentiment`, ...).
pub fn evalexpr(rules: &[Rule], rows: &[Row]) -> Result<Engine, String> {
    use evalexpr::ContextWithMutableVariables as _;
    let nodes = rules
        .iter()
        .map(|r| {
            let src = emit::evalexpr(&r.when);
            evalexpr::build_operator_tree(&src).map_err(|e| format!("evalexpr {src:?}: {e}"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let contexts = rows
        .iter()
        .map(|row| {
            let mut context = evalexpr::HashMapContext::new();
            for (k, v) in &row.f {
                let v = match v {
                    Json::Bool(b) => evalexpr::Value::Boolean(*b),
                    Json::Number(n) => evalexpr::Value::Float(n.as_f64().unwrap_or(f64::NAN)),
                    Json::String(s) => evalexpr::Value::String(s.clone()),
                    _ => evalexpr::Value::Empty,
                };
                context
                    .set_value(format!("f.{k}"), v)
                    .map_err(|e| e.to_string())?;
            }
            Ok(context)
        })
        .collect::<Result<Vec<_>, String>>()?;
    let decide: Decide = Box::new(move |i| {
        let context = &contexts[i];
        for (k, node) in nodes.iter().enumerate() {
            if node
                .eval_boolean_with_context(context)
                .map_err(|e| format!("rule {k}: {e}"))?
            {
                return Ok(Some(k));
            }
        }
        Ok(None)
    });
    Ok(Engine {
        name: "evalexpr",
        krate: "evalexpr 11.3.1",
        decide,
    })
}
