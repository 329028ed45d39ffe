"""The reflection journal: private entries on guided prompts, shared one at a time by choice."""
