"""A small learned reader of people's words, offline: static embeddings and linear models.

The message coach and crisis detection keep their rules (precise, with spans and
explanations) and add a learned model for recall. Both models here are linear over
the same features of a text (`features.py`): the subword pieces of the text and their
neighbouring pairs, the mean of the pieces' static embeddings (the `wordllama` wheel's
256-dimensional vectors, read from the installed package, never downloaded), and which
rules fired. The weights are trained from the corpus in `corpus/` by
`python -m attunement.textmodel.train` and shipped as `.npz` files beside this module.
See docs/coach.md ("The learned model").
"""

from attunement.textmodel.model import LinearModel, Scores, load_model

__all__ = ["LinearModel", "Scores", "load_model"]
