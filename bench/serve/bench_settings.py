"""The product's settings with one extra URL for the benchmark's baseline; never in the product."""

from attunement.web.settings import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
