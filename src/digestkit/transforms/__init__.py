"""Pure ``Document -> Document`` steps (script conversion, punctuation clean-up)."""
