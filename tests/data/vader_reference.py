"""Regenerates tests/data/vader_reference.jsonl: the compound sentiment score
of the reference VADER implementation (vaderSentiment 3.3.2, MIT) for every
text baton's sentiment scorer is tested on.

    pip install vaderSentiment==3.3.2
    python3 tests/data/vader_reference.py

The texts are the customer messages of tests/data/conversations-slice.jsonl,
the phrases of tests/data/phrases/, and the cases written below to exercise
each rule of VADER (negation, boosters, "but", capitals, punctuation, emoji).
"""
import json
import os

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

HERE = os.path.dirname(os.path.abspath(__file__))

CASES = [
    "VADER is smart, handsome, and funny.",
    "VADER is smart, handsome, and funny!",
    "VADER is very smart, handsome, and funny.",
    "VADER is VERY SMART, handsome, and FUNNY.",
    "VADER is VERY SMART, handsome, and FUNNY!!!",
    "VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!",
    "VADER is not smart, handsome, nor funny.",
    "The book was good.",
    "At least it isn't a horrible book.",
    "The book was only kind of good.",
    "The plot was good, but the characters are uncompelling and the dialog is not great.",
    "Today SUX!",
    "Today only kinda sux! But I'll get by, lol",
    "Make sure you :) or :D today!",
    "Catch utf-8 emoji such as 💘 and 💋 and 😁",
    "Not bad at all",
    "call me back!!!",
    "This is ridiculous, I want a person",
    "I was charged twice this month",
    "never so good",
    "without doubt the best",
    "not the worst but not great either",
    "good but good",
    "no problem at all",
    "no good deal",
    "least happy customer ever",
    "at least happy",
    "very least happy",
    "This is the shit",
    "yeah right, great service",
    "Thanks 😀😀 great!!",
    "I HATE this, it is TERRIBLE",
    "ALL CAPS HAPPY",
    "what??",
    "what????",
    "why is this so bad???",
    "",
    "   ",
    "¿Qué? ñandú 👍",
    "sort of okay, kind of nice",
    "The service is not really that bad",
    "I don't like it",
    "I can't stand this anymore",
    "It isn't horrible",
    "no, I am not happy",
    "nothing good ever happens",
]


def main():
    texts = list(CASES)
    with open(os.path.join(HERE, "conversations-slice.jsonl"), encoding="utf-8") as f:
        for line in f:
            for m in json.loads(line)["messages"]:
                if m["role"] == "customer":
                    texts.append(m["text"])
    for name in ("bitext_contact_human_agent.jsonl", "taubench_transfer_requests.jsonl"):
        with open(os.path.join(HERE, "phrases", name), encoding="utf-8") as f:
            texts.extend(json.loads(line)["text"] for line in f)
    analyzer = SentimentIntensityAnalyzer()
    seen = set()
    with open(os.path.join(HERE, "vader_reference.jsonl"), "w", encoding="utf-8") as out:
        for text in texts:
            if text in seen:
                continue
            seen.add(text)
            score = analyzer.polarity_scores(text)["compound"]
            out.write(json.dumps({"text": text, "compound": score}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
