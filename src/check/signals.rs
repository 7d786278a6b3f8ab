//! The built-in signals: what the engine derives from a conversation, their
//! types, and the facts the checker uses to spot conditions that cannot vary.

use super::ir::Type;

macro_rules! signals {
    ($($variant:ident => $name:literal, $ty:ident, $range:expr, $known:literal, $input:literal, $doc:literal;)*) => {
        /// A value derived from the conversation by the engine.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Signal {
            $(#[doc = $doc] $variant,)*
        }

        impl Signal {
            /// Every signal, in the order of the language reference.
            pub const ALL: &'static [Signal] = &[$(Signal::$variant,)*];

            /// The name rules use.
            pub fn name(self) -> &'static str {
                match self { $(Signal::$variant => $name,)* }
            }

            /// Its type.
            pub fn ty(self) -> Type {
                match self { $(Signal::$variant => Type::$ty,)* }
            }

            /// The smallest and largest value it can take, for numbers and durations.
            pub fn range(self) -> Option<(f64, f64)> {
                match self { $(Signal::$variant => $range,)* }
            }

            /// Whether every conversation has it (a conversation always has messages).
            pub fn always_known(self) -> bool {
                match self { $(Signal::$variant => $known,)* }
            }

            /// Whether the conversation provides it directly, so a test may set it with `with`.
            pub fn is_input(self) -> bool {
                match self { $(Signal::$variant => $input,)* }
            }

            /// What it means, in one line.
            pub fn meaning(self) -> &'static str {
                match self { $(Signal::$variant => $doc,)* }
            }
        }
    };
}

const SCORE: Option<(f64, f64)> = Some((-1.0, 1.0));
const COUNT: Option<(f64, f64)> = Some((0.0, f64::INFINITY));

signals! {
    Sentiment => "sentiment", Number, SCORE, false, false,
        "The latest customer message's sentiment, from -1 to 1.";
    SentimentMin => "sentiment_min", Number, SCORE, false, false,
        "The lowest sentiment over all customer messages.";
    SentimentAvg => "sentiment_avg", Number, SCORE, false, false,
        "The average sentiment over all customer messages.";
    SentimentTrend => "sentiment_trend", Number, Some((-2.0, 2.0)), false, false,
        "The latest customer sentiment minus the first.";
    Loops => "loops", Number, COUNT, true, false,
        "How many messages repeat an earlier one from the same side.";
    AskedForHuman => "asked_for_human", Bool, None, true, false,
        "Whether the customer asked for a person.";
    FailedAttempts => "failed_attempts", Number, COUNT, true, false,
        "How many AI messages said it could not help, did not understand, or fell back.";
    Turns => "turns", Number, COUNT, true, false,
        "How many messages the conversation has.";
    CustomerTurns => "customer_turns", Number, COUNT, true, false,
        "How many messages the customer sent.";
    AiTurns => "ai_turns", Number, COUNT, true, false,
        "How many messages the AI sent.";
    Confidence => "confidence", Number, Some((0.0, 1.0)), false, true,
        "The AI's latest self-reported confidence, from 0 to 1.";
    Intent => "intent", Text, None, false, true,
        "The latest intent label.";
    Channel => "channel", Text, None, false, true,
        "Where the conversation happens: chat, email, voice, social, ...";
    Duration => "duration", Duration, COUNT, false, false,
        "The time from the first message to the last.";
    Waiting => "waiting", Duration, COUNT, false, false,
        "How long the customer's last unanswered message has waited.";
    LastCustomerMessage => "last_customer_message", Text, None, false, false,
        "The latest customer message.";
    CustomerText => "customer_text", Text, None, true, false,
        "All customer messages together.";
}

impl Signal {
    /// The signal with this name, if there is one.
    pub fn from_name(name: &str) -> Option<Signal> {
        Signal::ALL.iter().copied().find(|s| s.name() == name)
    }
}
