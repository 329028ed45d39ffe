"""Settings for the test suite: the real settings, with fast hashing and email kept in memory."""

import os
import tempfile

os.environ.setdefault("ATTUNEMENT_SECRET_KEY", "test-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("ATTUNEMENT_DATA_DIR", tempfile.mkdtemp(prefix="attunement-test-"))
os.environ.setdefault(
    "ATTUNEMENT_KEY_FILE", os.path.join(os.environ["ATTUNEMENT_DATA_DIR"], "encryption-key")
)

from attunement.web.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
AXES_ENABLED = True
