"""Texts that tests of the two ways to offer crisis help share (docs/safety.md).

They depend on the shipped crisis model: when it is retrained and one of them no longer
reads as described, choose another here, once, for every test that uses it.
"""

# An ordinary remark the model alone raises, faintly: a quiet pointer to help.
FAINT = "I can't be bothered to cook tonight"
# No phrase of the list: the model alone, well past its threshold: the full help.
STRONG_MODEL_ONLY = "i keep thinking about the cord in the shed"
