//! JSON text → the part of a conversation that deciding reads, in one pass.
//!
//! A conversation often carries far more than its rules read: platform
//! metadata, labels, per-message extras. Building all of it as
//! `serde_json::Value` and dropping it again was most of the cost of
//! parsing. [`parse_kept`] reads the text once, checking all of it as
//! `serde_json` would (syntax, and the nesting limits), but builds only the
//! top-level keys baton or the rules read and the fields of each message
//! baton knows; everything else is stepped over. Whatever is stepped over
//! in place of a value (the whole conversation when it is not an object,
//! `messages` when it is not a list, a message that is not an object) is
//! kept as an empty value of the same kind, so the errors about it read the
//! same. Text in which something nests too deep is left to a whole parse:
//! only the whole value tells what a key repeated later leaves.

use std::borrow::Cow;
use std::cell::Cell;
use std::fmt;

use serde::Deserialize;
use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value as Json};

use super::conversation::{MessageFields, Raw, TOP_LEVEL_KEYS};
use super::{InputError, refused, within};
use crate::compile::RuleGraph;

/// The scalar visits of a visitor that steps over scalars: each is kept as
/// an empty value of its kind, given to `$wrap`.
macro_rules! scalars {
    ($wrap:expr) => {
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok($wrap(Json::Bool(false)))
        }

        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok($wrap(Json::from(0)))
        }

        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Ok($wrap(Json::from(0)))
        }

        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok($wrap(Json::from(0)))
        }

        fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
            Ok($wrap(Json::String(String::new())))
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok($wrap(Json::Null))
        }
    };
}

/// What deciding reads of a conversation's JSON text.
#[derive(Debug)]
pub struct Input<'t> {
    /// The top-level object's kept keys, all but `messages`; when the
    /// conversation is not an object, what it is instead (empty).
    pub root: Result<Map<String, Json>, Json>,
    /// The messages, when the conversation has `messages`.
    pub messages: Option<List<'t>>,
}

/// The value of `messages`.
#[derive(Debug)]
pub enum List<'t> {
    /// A list: the fields of its messages, up to the first item that is
    /// not an object, and that item (empty) if there is one. Reading stops
    /// there, so what comes after it is not kept.
    Items {
        messages: Vec<MessageFields<Raw<'t>>>,
        then: Option<Json>,
    },
    /// Not a list: what it is instead (empty).
    Not(Json),
}

/// Parses `text` keeping what `graph` decides on: the keys baton reads
/// itself (`messages`, `id`, `channel`, `confidence`, `intent`), the first
/// key of every declared field's path, and in each message the fields a
/// message has. Errors are those of parsing the whole text and then
/// checking that nothing nests more than `max_depth` levels deep: E0401
/// for text that is not JSON, E0406 for nesting.
///
/// `None` means: parse the whole text instead. So it is for a graph with a
/// declared field whose path starts at `messages` (it reads the list
/// itself), for a limit of 0 (nothing may nest, the conversation itself
/// being level 1), and for text in which something nests deeper than
/// `max_depth`:
/// a key repeated later may replace that value, as it does when the whole
/// text is parsed, and only the whole value tells whether what is left is
/// too deep.
pub fn parse_kept<'t>(
    graph: &RuleGraph,
    text: &'t str,
    max_depth: usize,
) -> Option<Result<Input<'t>, InputError>> {
    if max_depth == 0 || graph.field_paths.iter().any(|path| path[0] == "messages") {
        return None;
    }
    let deep = Cell::new(false);
    let top = Top {
        fields: &graph.field_paths,
        depth: Depth {
            level: 1,
            max: max_depth,
            deep: &deep,
        },
    };
    let mut reader = serde_json::Deserializer::from_str(text);
    let input = top
        .deserialize(&mut reader)
        .and_then(|input| reader.end().map(|()| input))
        .map_err(|e| refused(&e, max_depth));
    match input {
        Ok(_) if deep.get() => None,
        input => Some(input),
    }
}

/// What every part of the reading shares: how deep things may nest, and
/// whether something nested deeper.
#[derive(Clone, Copy)]
struct Depth<'d> {
    /// The level of the value being read (the conversation is level 1).
    level: usize,
    max: usize,
    deep: &'d Cell<bool>,
}

impl<'d> Depth<'d> {
    /// The level inside an array or object at this level, noting when the
    /// array or object itself is too deep.
    fn inside(self) -> Depth<'d> {
        if self.level > self.max {
            self.deep.set(true);
        }
        Depth {
            level: self.level + 1,
            ..self
        }
    }

    /// Notes whether `value`, read whole at this level, nests too deep.
    fn check(self, value: &Json) {
        if !within(value, self.level, self.max) {
            self.deep.set(true);
        }
    }
}

/// Seeds that read any JSON value with themselves as its visitor.
macro_rules! visits_any {
    ($($seed:ty),*) => {$(
        impl<'de> DeserializeSeed<'de> for $seed {
            type Value = <Self as Visitor<'de>>::Value;

            fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                d.deserialize_any(self)
            }
        }
    )*};
}

visits_any!(
    Top<'_, '_>,
    Messages<'_>,
    FieldValue<'_>,
    Skip<'_>,
    Shape<'_>
);

/// The conversation: its top-level object.
struct Top<'g, 'd> {
    /// The declared fields' paths.
    fields: &'g [Vec<String>],
    depth: Depth<'d>,
}

impl<'de> Visitor<'de> for Top<'_, '_> {
    type Value = Input<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a conversation")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Input<'de>, A::Error> {
        let depth = self.depth.inside();
        let mut root = Map::new();
        let mut messages = None;
        while let Some(Key(key)) = map.next_key()? {
            if key == "messages" {
                messages = Some(map.next_value_seed(Messages(depth))?);
            } else if TOP_LEVEL_KEYS.contains(&&*key)
                || self.fields.iter().any(|path| path[0] == key)
            {
                let value: Json = map.next_value()?;
                depth.check(&value);
                root.insert(key.into_owned(), value);
            } else {
                map.next_value_seed(Skip(depth))?;
            }
        }
        Ok(Input {
            root: Ok(root),
            messages,
        })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Input<'de>, A::Error> {
        Ok(not_a_conversation(Shape(self.depth).visit_seq(seq)?))
    }

    scalars!(not_a_conversation);
}

/// A conversation that is not an object.
fn not_a_conversation<'t>(shape: Json) -> Input<'t> {
    Input {
        root: Err(shape),
        messages: None,
    }
}

/// The value of `messages`.
struct Messages<'d>(Depth<'d>);

impl<'de> Visitor<'de> for Messages<'_> {
    type Value = List<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of messages")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<List<'de>, A::Error> {
        let depth = self.0.inside();
        let mut messages = Vec::with_capacity(16);
        while let Some(item) = seq.next_element_seed(Message(depth, &mut messages))? {
            if let Some(then) = item {
                while seq.next_element_seed(Skip(depth))?.is_some() {}
                return Ok(List::Items {
                    messages,
                    then: Some(then),
                });
            }
        }
        Ok(List::Items {
            messages,
            then: None,
        })
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<List<'de>, A::Error> {
        Ok(List::Not(Shape(self.0).visit_map(map)?))
    }

    scalars!(List::Not);
}

/// One item of `messages`: the fields of a message, put straight at the
/// end of the list (they are large, and are not moved about on the way),
/// or what the item is instead (empty).
struct Message<'d, 'l, 't>(Depth<'d>, &'l mut Vec<MessageFields<Raw<'t>>>);

impl<'de> DeserializeSeed<'de> for Message<'_, '_, 'de> {
    type Value = Option<Json>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<Json>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Message<'_, '_, 'de> {
    /// `None` when the item was a message, now the last of the list.
    type Value = Option<Json>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a message")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<Json>, A::Error> {
        let depth = self.0.inside();
        let at = self.1.len();
        self.1.push(MessageFields::default());
        let fields = &mut self.1[at];
        while let Some(Key(key)) = map.next_key()? {
            match fields.slot(&key) {
                Some(slot) => *slot = Some(map.next_value_seed(FieldValue(depth))?),
                None => {
                    map.next_value_seed(Skip(depth))?;
                }
            }
        }
        Ok(None)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Option<Json>, A::Error> {
        Ok(Some(Shape(self.0).visit_seq(seq)?))
    }

    scalars!(Some);
}

/// A message's value: a string borrowed from the text when it can be,
/// anything else read whole as `serde_json` reads it.
struct FieldValue<'d>(Depth<'d>);

impl<'de> Visitor<'de> for FieldValue<'_> {
    type Value = Raw<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Raw<'de>, E> {
        Ok(Raw::Text(Cow::Borrowed(s)))
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Raw<'de>, E> {
        Ok(Raw::Text(Cow::Owned(s.to_owned())))
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Raw<'de>, E> {
        Ok(Raw::Json(Json::Bool(b)))
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Raw<'de>, E> {
        Ok(Raw::Json(Json::from(n)))
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Raw<'de>, E> {
        Ok(Raw::Json(Json::from(n)))
    }

    fn visit_f64<E: de::Error>(self, n: f64) -> Result<Raw<'de>, E> {
        Ok(Raw::Json(Json::from(n)))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Raw<'de>, E> {
        Ok(Raw::Json(Json::Null))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Raw<'de>, A::Error> {
        let value = Json::deserialize(SeqAccessDeserializer::new(seq))?;
        self.0.check(&value);
        Ok(Raw::Json(value))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Raw<'de>, A::Error> {
        let value = Json::deserialize(MapAccessDeserializer::new(map))?;
        self.0.check(&value);
        Ok(Raw::Json(value))
    }
}

/// A value stepped over: its syntax and nesting are checked, and nothing
/// of it is kept.
#[derive(Clone, Copy)]
struct Skip<'d>(Depth<'d>);

impl<'de> Visitor<'de> for Skip<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let inner = Skip(self.0.inside());
        while seq.next_element_seed(inner)?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let inner = Skip(self.0.inside());
        while map.next_key::<IgnoredAny>()?.is_some() {
            map.next_value_seed(inner)?;
        }
        Ok(())
    }

    scalars!(|_: Json| ());
}

/// A value stepped over in place of one an error names: kept as an empty
/// value of its kind (`null`, `false`, `0`, `""`, `[]` or `{}`), which is
/// what the error needs.
#[derive(Clone, Copy)]
struct Shape<'d>(Depth<'d>);

impl<'de> Visitor<'de> for Shape<'_> {
    type Value = Json;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Json, A::Error> {
        Skip(self.0).visit_seq(seq)?;
        Ok(Json::Array(Vec::new()))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Json, A::Error> {
        Skip(self.0).visit_map(map)?;
        Ok(Json::Object(Map::new()))
    }

    scalars!(std::convert::identity);
}

/// An object's key, borrowed from the text unless it holds an escape.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a key")
            }

            fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(s)))
            }

            fn visit_str<E: de::Error>(self, s: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(s.to_owned())))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}
