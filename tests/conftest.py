import os

from hypothesis import settings

# CI runs a fixed derandomised profile, so a red CI is reproducible; locally, explore.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

# Student files (some loop forever or exit at import) are test data, never test modules.
collect_ignore_glob = ["gallery/*"]
