//! The one escalation ruleset every engine runs, described once as data.
//!
//! A support organisation that answers for a bank, a spaceport, travel,
//! rides, restaurants, housing, events, doctors and a shop: safety and fraud
//! first, then explicit requests for a person, valuable customers, anger and
//! loops whatever the topic, then each topic's own rules, then catch-alls on
//! the AI's confidence, long conversations and sentiment bands. First match
//! wins; nothing matching means the AI continues.
//!
//! Intent labels are the corpus's own task labels (see `features.rs`); a few
//! rules name intents the corpus never has (refunds, passwords, legal
//! requests), as a real ruleset would, and never fire here.

use crate::features::{Kind, kind};

/// A comparison operator on numbers.
#[derive(Clone, Copy, Debug)]
pub enum Op {
    Lt,
    Le,
    Gt,
    Ge,
}

impl Op {
    /// The operator as every engine writes it.
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
        }
    }
}

/// A condition over the features.
#[derive(Clone, Debug)]
pub enum Cond {
    /// A number feature compared with a number.
    Cmp(&'static str, Op, f64),
    /// A text feature equals a text.
    Is(&'static str, &'static str),
    /// A text feature differs from a text.
    IsNot(&'static str, &'static str),
    /// A text feature is one of several texts.
    In(&'static str, Vec<&'static str>),
    /// A text feature is none of several texts.
    NotIn(&'static str, Vec<&'static str>),
    /// A true-or-false feature is true.
    Flag(&'static str),
    /// Every condition holds.
    And(Vec<Cond>),
    /// At least one condition holds.
    Or(Vec<Cond>),
    /// The condition does not hold.
    Not(Box<Cond>),
}

impl Cond {
    /// Whether the condition holds for `f` (the reference evaluation, used
    /// to check the generated programs' own answers are not all the same
    /// mistake).
    pub fn holds(&self, f: &serde_json::Map<String, serde_json::Value>) -> bool {
        let num = |n: &str| f.get(n).and_then(serde_json::Value::as_f64);
        let text = |n: &str| f.get(n).and_then(serde_json::Value::as_str);
        match self {
            Cond::Cmp(n, op, v) => num(n).is_some_and(|x| match op {
                Op::Lt => x < *v,
                Op::Le => x <= *v,
                Op::Gt => x > *v,
                Op::Ge => x >= *v,
            }),
            Cond::Is(n, v) => text(n) == Some(*v),
            Cond::IsNot(n, v) => text(n).is_some_and(|t| t != *v),
            Cond::In(n, vs) => text(n).is_some_and(|t| vs.contains(&t)),
            Cond::NotIn(n, vs) => text(n).is_some_and(|t| !vs.contains(&t)),
            Cond::Flag(n) => f.get(*n).and_then(serde_json::Value::as_bool) == Some(true),
            Cond::And(cs) => cs.iter().all(|c| c.holds(f)),
            Cond::Or(cs) => cs.iter().any(|c| c.holds(f)),
            Cond::Not(c) => !c.holds(f),
        }
    }

    /// Checks that every feature exists with the kind its test needs.
    fn check(&self, rule: &str) -> Result<(), String> {
        let want = |n: &str, k: Kind| match kind(n) {
            Some(found) if found == k => Ok(()),
            Some(found) => Err(format!("rule {rule:?}: {n} is {found:?}, used as {k:?}")),
            None => Err(format!("rule {rule:?}: no feature {n}")),
        };
        match self {
            Cond::Cmp(n, _, _) => want(n, Kind::Num),
            Cond::Is(n, _) | Cond::IsNot(n, _) => want(n, Kind::Text),
            Cond::In(n, vs) | Cond::NotIn(n, vs) => {
                if vs.len() < 2 {
                    return Err(format!("rule {rule:?}: a list of fewer than two on {n}"));
                }
                want(n, Kind::Text)
            }
            Cond::Flag(n) => want(n, Kind::Bool),
            Cond::And(cs) | Cond::Or(cs) => {
                if cs.len() < 2 {
                    return Err(format!("rule {rule:?}: and/or of fewer than two"));
                }
                cs.iter().try_for_each(|c| c.check(rule))
            }
            Cond::Not(c) => c.check(rule),
        }
    }
}

/// What a rule decides.
#[derive(Clone, Copy, Debug)]
pub enum Action {
    /// A person takes over now.
    Handoff(&'static str, &'static str),
    /// The AI offers a person.
    Offer(&'static str, &'static str),
    /// A person must approve before the AI goes on.
    Approval(&'static str, &'static str),
}

/// One rule: a name, a condition, an outcome.
#[derive(Clone, Debug)]
pub struct Rule {
    pub name: &'static str,
    pub when: Cond,
    pub then: Action,
}

/// The queues, with their descriptions and SLAs.
pub const QUEUES: &[(&str, &str, &str)] = &[
    ("security", "Trust and safety", "15m"),
    ("fraud", "Fraud desk", "15m"),
    ("legal", "Legal and privacy", "1d"),
    ("vip", "Key accounts", "30m"),
    ("retention", "Retention specialists", "4h"),
    ("banking", "Banking specialists", "1h"),
    ("health", "Care coordinators", "30m"),
    ("travel", "Travel desk", "1h"),
    ("lodging", "Hotel desk", "1h"),
    ("rides", "Ride operations", "30m"),
    ("dining", "Dining concierge", "2h"),
    ("events", "Events team", "4h"),
    ("housing", "Housing team", "4h"),
    ("retail", "Store support", "4h"),
    ("billing", "Billing specialists", "4h"),
    ("social", "Social care", "1h"),
    ("tier1", "Front line", "1h"),
    ("tier2", "Senior agents", "30m"),
];

fn lt(n: &'static str, v: f64) -> Cond {
    Cond::Cmp(n, Op::Lt, v)
}
fn le(n: &'static str, v: f64) -> Cond {
    Cond::Cmp(n, Op::Le, v)
}
fn gt(n: &'static str, v: f64) -> Cond {
    Cond::Cmp(n, Op::Gt, v)
}
fn ge(n: &'static str, v: f64) -> Cond {
    Cond::Cmp(n, Op::Ge, v)
}
fn is(n: &'static str, v: &'static str) -> Cond {
    Cond::Is(n, v)
}
fn is_not(n: &'static str, v: &'static str) -> Cond {
    Cond::IsNot(n, v)
}
fn one_of(n: &'static str, vs: &[&'static str]) -> Cond {
    Cond::In(n, vs.to_vec())
}
fn none_of(n: &'static str, vs: &[&'static str]) -> Cond {
    Cond::NotIn(n, vs.to_vec())
}
fn flag(n: &'static str) -> Cond {
    Cond::Flag(n)
}
fn and<const N: usize>(cs: [Cond; N]) -> Cond {
    Cond::And(cs.into())
}
fn or<const N: usize>(cs: [Cond; N]) -> Cond {
    Cond::Or(cs.into())
}
fn not(c: Cond) -> Cond {
    Cond::Not(Box::new(c))
}
fn intent(v: &'static str) -> Cond {
    is("intent", v)
}
fn intents(vs: &[&'static str]) -> Cond {
    one_of("intent", vs)
}

/// Key accounts: enterprise tier or a large contract.
fn vip() -> Cond {
    or([is("tier", "enterprise"), ge("arr", 150_000.0)])
}

/// Going nowhere: repeating itself or failing.
fn stuck(loops: f64, failed: f64) -> Cond {
    or([ge("loops", loops), ge("failed_attempts", failed)])
}

const AIR: &[&str] = &["plane_book", "plane_search", "airline"];
const HOTEL: &[&str] = &["hotel_book", "hotel_search", "hotel_service_request"];
const RIDES: &[&str] = &["ride_book", "ride_status", "ride_change"];
const DINING: &[&str] = &["restaurant_book", "restaurant_search"];
const EVENTS: &[&str] = &["party_plan", "party_rsvp", "meeting_schedule"];
const HOUSING: &[&str] = &["apartment_search", "apartment_schedule"];
const HEALTH: &[&str] = &["doctor_followup", "doctor_schedule"];
const INFO: &[&str] = &["trip_directions", "weather", "trivia"];
const SHOP: &[&str] = &["retail", "product_defect", "storewide_query"];
const BOOKINGS: &[&str] = &[
    "plane_book",
    "hotel_book",
    "ride_book",
    "restaurant_book",
    "apartment_schedule",
    "doctor_schedule",
];

fn rule(name: &'static str, when: Cond, then: Action) -> Rule {
    Rule { name, when, then }
}
fn handoff(q: &'static str, p: &'static str) -> Action {
    Action::Handoff(q, p)
}
fn offer(q: &'static str, p: &'static str) -> Action {
    Action::Offer(q, p)
}
fn approval(q: &'static str, p: &'static str) -> Action {
    Action::Approval(q, p)
}

/// The ruleset, in evaluation order.
pub fn rules() -> Vec<Rule> {
    vec![
        // --- Safety, security and fraud ---------------------------------
        rule(
            "Life support emergency",
            and([
                intent("spaceship_life_support"),
                or([
                    lt("sentiment", -0.3),
                    flag("asked_for_human"),
                    ge("loops", 2.0),
                ]),
            ]),
            handoff("security", "urgent"),
        ),
        rule(
            "Access codes: locked out",
            and([intent("spaceship_access_codes"), ge("failed_attempts", 2.0)]),
            handoff("security", "urgent"),
        ),
        rule(
            "Access codes: upset crew",
            and([intent("spaceship_access_codes"), lt("sentiment_min", -0.5)]),
            handoff("security", "high"),
        ),
        rule(
            "Access codes: unsure AI",
            and([intent("spaceship_access_codes"), lt("confidence", 0.7)]),
            approval("security", "normal"),
        ),
        rule(
            "Life support: every other report",
            intent("spaceship_life_support"),
            offer("security", "high"),
        ),
        rule(
            "Account takeover",
            and([
                intents(&["account_takeover", "password_reset", "two_factor"]),
                or([ge("failed_attempts", 1.0), lt("sentiment", -0.2)]),
            ]),
            handoff("security", "high"),
        ),
        rule(
            "Fraud: distressed",
            and([intent("bank_fraud_report"), lt("sentiment", -0.4)]),
            handoff("fraud", "urgent"),
        ),
        rule(
            "Fraud: key account",
            and([intent("bank_fraud_report"), vip()]),
            handoff("fraud", "urgent"),
        ),
        rule(
            "Fraud: going nowhere",
            and([intent("bank_fraud_report"), stuck(2.0, 2.0)]),
            handoff("fraud", "high"),
        ),
        rule(
            "Fraud: asked for a person",
            and([intent("bank_fraud_report"), flag("asked_for_human")]),
            handoff("fraud", "high"),
        ),
        rule(
            "Fraud: low confidence",
            and([intent("bank_fraud_report"), lt("confidence", 0.5)]),
            handoff("fraud", "normal"),
        ),
        rule(
            "Fraud: paying customer",
            and([intent("bank_fraud_report"), is_not("tier", "free")]),
            handoff("fraud", "normal"),
        ),
        rule(
            "Fraud: every other report",
            intent("bank_fraud_report"),
            offer("fraud", "normal"),
        ),
        rule(
            "Chargebacks and disputes",
            intents(&["chargeback", "billing_dispute"]),
            handoff("fraud", "normal"),
        ),
        rule(
            "Legal and privacy requests",
            intents(&["legal_request", "data_deletion", "gdpr_request", "subpoena"]),
            handoff("legal", "high"),
        ),
        rule(
            "Care follow-up: distress",
            and([
                intent("doctor_followup"),
                or([lt("sentiment_min", -0.6), lt("sentiment_trend", -0.8)]),
            ]),
            handoff("health", "urgent"),
        ),
        rule(
            "Care follow-up: not understood",
            and([intent("doctor_followup"), ge("failed_attempts", 1.0)]),
            handoff("health", "high"),
        ),
        rule(
            "Care follow-up: paying customer",
            and([intent("doctor_followup"), is_not("tier", "free")]),
            offer("health", "normal"),
        ),
        // --- Explicit requests for a person -------------------------------
        rule(
            "Key account asked for a person",
            and([flag("asked_for_human"), vip()]),
            handoff("vip", "urgent"),
        ),
        rule(
            "Asked for a person, upset",
            and([flag("asked_for_human"), lt("sentiment", -0.2)]),
            handoff("tier2", "high"),
        ),
        rule(
            "Asked for a person",
            flag("asked_for_human"),
            handoff("tier1", "high"),
        ),
        // --- Key accounts -------------------------------------------------
        rule(
            "Enterprise: very upset",
            and([is("tier", "enterprise"), lt("sentiment_min", -0.7)]),
            handoff("vip", "urgent"),
        ),
        rule(
            "Enterprise: going in circles",
            and([is("tier", "enterprise"), stuck(3.0, 3.0)]),
            handoff("vip", "high"),
        ),
        rule(
            "Large contract, unsure AI",
            and([ge("arr", 250_000.0), lt("confidence", 0.45)]),
            handoff("vip", "high"),
        ),
        rule(
            "Large contract, souring",
            and([ge("arr", 200_000.0), lt("sentiment_trend", -0.5)]),
            handoff("vip", "high"),
        ),
        rule(
            "Enterprise booking trouble",
            and([
                is("tier", "enterprise"),
                intents(BOOKINGS),
                ge("failed_attempts", 1.0),
            ]),
            handoff("vip", "normal"),
        ),
        rule(
            "Enterprise left waiting on chat",
            and([
                is("tier", "enterprise"),
                is("channel", "chat"),
                gt("waiting_m", 5.0),
            ]),
            handoff("vip", "high"),
        ),
        rule(
            "Paying customer at risk",
            and([
                is("tier", "pro"),
                ge("arr", 15_000.0),
                lt("sentiment", -0.5),
            ]),
            handoff("retention", "high"),
        ),
        rule(
            "Cancellation from a paying customer",
            and([
                intents(&["cancel_subscription", "downgrade", "close_account"]),
                is_not("tier", "free"),
            ]),
            handoff("retention", "high"),
        ),
        rule(
            "Paying customer left waiting",
            and([is_not("tier", "free"), gt("waiting_m", 15.0)]),
            handoff("tier1", "high"),
        ),
        // --- Anger and loops, whatever the topic ---------------------------
        rule("Furious", lt("sentiment", -0.75), handoff("tier2", "high")),
        rule(
            "Soured fast",
            lt("sentiment_trend", -1.2),
            handoff("tier2", "high"),
        ),
        rule("Looping badly", ge("loops", 4.0), handoff("tier2", "high")),
        rule(
            "Failing badly",
            ge("failed_attempts", 4.0),
            handoff("tier2", "high"),
        ),
        rule(
            "Loops and failures together",
            and([ge("loops", 2.0), ge("failed_attempts", 2.0)]),
            handoff("tier2", "normal"),
        ),
        rule(
            "Left waiting on chat",
            and([is("channel", "chat"), ge("waiting_m", 20.0)]),
            handoff("tier1", "high"),
        ),
        rule(
            "Long email or voice threads",
            and([one_of("channel", &["email", "voice"]), gt("turns", 10.0)]),
            handoff("tier1", "normal"),
        ),
        rule(
            "Unhappy on social",
            and([is("channel", "social"), lt("sentiment", -0.2)]),
            handoff("social", "high"),
        ),
        // --- Money ---------------------------------------------------------
        rule(
            "Refunds",
            and([
                intents(&["refund", "refund_status", "billing"]),
                or([lt("sentiment", -0.3), ge("loops", 1.0)]),
            ]),
            handoff("billing", "high"),
        ),
        rule(
            "Refunds over the AI's limit",
            and([intent("refund"), ge("arr", 50_000.0)]),
            approval("billing", "normal"),
        ),
        rule(
            "Balance: key account",
            and([intent("bank_balance"), vip()]),
            handoff("banking", "high"),
        ),
        rule(
            "Balance: unsure AI",
            and([intent("bank_balance"), lt("confidence", 0.6)]),
            approval("banking", "normal"),
        ),
        rule(
            "Balance: not working",
            and([intent("bank_balance"), stuck(2.0, 1.0)]),
            handoff("banking", "normal"),
        ),
        // --- Travel --------------------------------------------------------
        rule(
            "Air travel: key account, any worry",
            and([intents(AIR), vip(), lt("sentiment_min", -0.2)]),
            handoff("travel", "high"),
        ),
        rule(
            "Airline: trouble",
            and([intent("airline"), ge("failed_attempts", 1.0)]),
            offer("travel", "normal"),
        ),
        rule(
            "Flight booking failing",
            and([intent("plane_book"), ge("failed_attempts", 2.0)]),
            handoff("travel", "high"),
        ),
        rule(
            "Flight booking: key account",
            and([intent("plane_book"), vip()]),
            handoff("travel", "high"),
        ),
        rule(
            "Flight search going round",
            and([intent("plane_search"), ge("loops", 2.0)]),
            offer("travel", "low"),
        ),
        rule(
            "Flight search, long and unsure",
            and([
                intent("plane_search"),
                lt("confidence", 0.4),
                ge("customer_turns", 6.0),
            ]),
            offer("travel", "low"),
        ),
        rule(
            "Hotel service request, unhappy",
            and([intent("hotel_service_request"), lt("sentiment_min", -0.1)]),
            handoff("lodging", "high"),
        ),
        rule(
            "Hotel service request",
            intent("hotel_service_request"),
            handoff("lodging", "normal"),
        ),
        rule(
            "Hotel booking failing",
            and([intent("hotel_book"), stuck(3.0, 2.0)]),
            handoff("lodging", "normal"),
        ),
        rule(
            "Hotel, upset guest",
            and([intents(HOTEL), lt("sentiment_min", -0.6)]),
            handoff("lodging", "high"),
        ),
        rule(
            "Hotel search, unsure AI",
            and([intent("hotel_search"), lt("confidence", 0.3)]),
            offer("lodging", "low"),
        ),
        rule(
            "Hotel search, long and unsure",
            and([
                intent("hotel_search"),
                ge("customer_turns", 8.0),
                lt("confidence", 0.7),
            ]),
            offer("lodging", "low"),
        ),
        rule(
            "Ride changes",
            intent("ride_change"),
            handoff("rides", "normal"),
        ),
        rule(
            "Ride status going round",
            and([intent("ride_status"), stuck(2.0, 2.0)]),
            handoff("rides", "high"),
        ),
        rule(
            "Ride status, worried",
            and([intent("ride_status"), lt("sentiment", -0.2)]),
            handoff("rides", "high"),
        ),
        rule(
            "Ride status, paying customer repeating",
            and([
                intent("ride_status"),
                is_not("tier", "free"),
                ge("loops", 1.0),
            ]),
            handoff("rides", "normal"),
        ),
        rule(
            "Ride booking: key account",
            and([intent("ride_book"), vip()]),
            handoff("rides", "high"),
        ),
        rule(
            "Ride booking: any failure",
            and([intent("ride_book"), ge("failed_attempts", 1.0)]),
            offer("rides", "normal"),
        ),
        rule(
            "Rides, unsure AI",
            and([intents(RIDES), lt("confidence", 0.4)]),
            offer("rides", "low"),
        ),
        // --- Dining, events, housing, care -----------------------------------
        rule(
            "Restaurant booking failing",
            and([intent("restaurant_book"), ge("failed_attempts", 2.0)]),
            handoff("dining", "normal"),
        ),
        rule(
            "Restaurant booking, unhappy",
            and([intent("restaurant_book"), lt("sentiment", -0.4)]),
            handoff("dining", "high"),
        ),
        rule(
            "Restaurant booking: key account",
            and([intent("restaurant_book"), vip()]),
            offer("dining", "normal"),
        ),
        rule(
            "Restaurant booking, repeating and unhappy",
            and([
                intent("restaurant_book"),
                ge("loops", 1.0),
                lt("sentiment_min", -0.2),
            ]),
            offer("dining", "low"),
        ),
        rule(
            "Dining, unsure AI on a long chat",
            and([
                intents(DINING),
                lt("confidence", 0.3),
                ge("customer_turns", 8.0),
            ]),
            offer("dining", "low"),
        ),
        rule(
            "Party planning, long and failing",
            and([
                intent("party_plan"),
                ge("customer_turns", 12.0),
                ge("failed_attempts", 1.0),
            ]),
            handoff("events", "normal"),
        ),
        rule(
            "Party planning, unhappy",
            and([intent("party_plan"), lt("sentiment_min", -0.6)]),
            handoff("events", "normal"),
        ),
        rule(
            "Party planning, unsure AI",
            and([intent("party_plan"), lt("confidence", 0.3)]),
            offer("events", "low"),
        ),
        rule(
            "Party planning, paying customer, long",
            and([
                intent("party_plan"),
                is_not("tier", "free"),
                ge("customer_turns", 8.0),
            ]),
            offer("events", "normal"),
        ),
        rule(
            "RSVPs and meetings failing",
            and([
                intents(&["party_rsvp", "meeting_schedule"]),
                stuck(2.0, 2.0),
            ]),
            handoff("events", "normal"),
        ),
        rule(
            "Events, souring",
            and([intents(EVENTS), lt("sentiment_trend", -0.6)]),
            offer("events", "normal"),
        ),
        rule(
            "Viewing bookings failing",
            and([intent("apartment_schedule"), stuck(3.0, 2.0)]),
            handoff("housing", "normal"),
        ),
        rule(
            "Viewing bookings: any failure",
            and([intent("apartment_schedule"), ge("failed_attempts", 1.0)]),
            offer("housing", "low"),
        ),
        rule(
            "Apartment search, unhappy",
            and([intent("apartment_search"), lt("sentiment_min", -0.5)]),
            offer("housing", "low"),
        ),
        rule(
            "Housing, unsure AI",
            and([intents(HOUSING), lt("confidence", 0.3)]),
            offer("housing", "low"),
        ),
        rule(
            "Appointments failing",
            and([intent("doctor_schedule"), ge("failed_attempts", 2.0)]),
            handoff("health", "normal"),
        ),
        rule(
            "Appointments going round",
            and([intent("doctor_schedule"), ge("loops", 2.0)]),
            handoff("health", "normal"),
        ),
        rule(
            "Care, unsure AI",
            and([intents(HEALTH), lt("confidence", 0.4)]),
            handoff("health", "normal"),
        ),
        rule(
            "Care, any worry",
            and([intents(HEALTH), lt("sentiment_min", -0.4)]),
            offer("health", "normal"),
        ),
        // --- Shop ----------------------------------------------------------
        rule(
            "Shop: product defects",
            intent("product_defect"),
            handoff("retail", "normal"),
        ),
        rule(
            "Shop: long case",
            and([intents(SHOP), ge("turns", 20.0)]),
            handoff("retail", "normal"),
        ),
        rule(
            "Shop: trouble",
            and([intents(SHOP), ge("failed_attempts", 1.0)]),
            offer("retail", "normal"),
        ),
        rule(
            "Orders and shipping",
            and([
                intents(&["order_status", "shipping", "delivery_late", "return"]),
                or([lt("sentiment", -0.2), ge("loops", 2.0)]),
            ]),
            handoff("retail", "normal"),
        ),
        // --- Questions the AI should answer ----------------------------------
        rule(
            "Information: going round",
            and([intents(INFO), ge("loops", 3.0)]),
            offer("tier1", "low"),
        ),
        rule(
            "Information: unhappy",
            and([intents(INFO), lt("sentiment", -0.5)]),
            offer("tier1", "low"),
        ),
        rule(
            "Directions: repeating, unsure AI",
            and([
                intent("trip_directions"),
                ge("loops", 1.0),
                lt("confidence", 0.6),
            ]),
            offer("tier1", "low"),
        ),
        rule(
            "Directions: long",
            and([intent("trip_directions"), ge("customer_turns", 10.0)]),
            offer("tier1", "low"),
        ),
        // --- Catch-alls: confidence, length, sentiment bands -----------------
        rule(
            "Very unsure AI",
            and([lt("confidence", 0.25), ge("customer_turns", 4.0)]),
            handoff("tier1", "normal"),
        ),
        rule(
            "Unsure AI that already failed",
            and([lt("confidence", 0.45), ge("failed_attempts", 1.0)]),
            offer("tier1", "normal"),
        ),
        rule(
            "Key account, unsure AI",
            and([vip(), lt("confidence", 0.55)]),
            offer("vip", "normal"),
        ),
        rule(
            "Key account, long conversation",
            and([vip(), ge("turns", 30.0)]),
            offer("vip", "normal"),
        ),
        rule(
            "Very long conversation",
            ge("turns", 40.0),
            handoff("tier1", "normal"),
        ),
        rule(
            "Going round, unsure AI",
            and([ge("loops", 2.0), lt("confidence", 0.7)]),
            offer("tier1", "low"),
        ),
        rule(
            "Paying customer, repeated failure",
            and([is_not("tier", "free"), ge("failed_attempts", 2.0)]),
            handoff("tier1", "normal"),
        ),
        rule(
            "Paying customer, souring",
            and([
                is_not("tier", "free"),
                lt("sentiment_trend", -0.5),
                not(intents(INFO)),
            ]),
            offer("tier1", "normal"),
        ),
        rule(
            "Ended lower than it started",
            and([lt("sentiment_trend", -0.7), le("sentiment", -0.1)]),
            offer("tier1", "low"),
        ),
        rule(
            "Many loops outside small talk",
            and([ge("loops", 3.0), none_of("intent", &["weather", "trivia"])]),
            offer("tier1", "low"),
        ),
        rule(
            "Failed more than once, outside small talk",
            and([
                ge("failed_attempts", 2.0),
                none_of("intent", &["weather", "trivia", "trip_directions"]),
            ]),
            offer("tier1", "low"),
        ),
        rule(
            "Slightly negative, long chat",
            and([
                lt("sentiment", 0.0),
                ge("customer_turns", 10.0),
                not(or([flag("asked_for_human"), is("tier", "free")])),
            ]),
            offer("tier1", "low"),
        ),
        rule(
            "Waiting at all, unsure AI",
            and([gt("waiting_m", 0.0), lt("confidence", 0.8)]),
            offer("tier1", "low"),
        ),
        rule(
            "Dipped, unsure AI",
            and([lt("sentiment_min", -0.3), lt("confidence", 0.85)]),
            offer("tier1", "low"),
        ),
        rule(
            "Repeated once, unsure AI",
            and([ge("loops", 1.0), lt("confidence", 0.6)]),
            offer("tier1", "low"),
        ),
    ]
}

/// Checks the ruleset: unique names, known features of the right kinds,
/// declared queues.
pub fn check(rules: &[Rule]) -> Result<(), String> {
    let mut names = std::collections::HashSet::new();
    for r in rules {
        if !names.insert(r.name) {
            return Err(format!("two rules are named {:?}", r.name));
        }
        r.when.check(r.name)?;
        let (Action::Handoff(q, _) | Action::Offer(q, _) | Action::Approval(q, _)) = r.then;
        if !QUEUES.iter().any(|(n, _, _)| *n == q) {
            return Err(format!("rule {:?}: queue {q} is not declared", r.name));
        }
    }
    Ok(())
}
