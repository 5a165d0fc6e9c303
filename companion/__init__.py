"""Campfire companion: the local model server behind the Campfire browser extension."""
import os

__version__ = "0.1.0"

# onnxruntime's PyPI wheels start Microsoft's telemetry when first imported: a device id and
# an event queue under ~/.cache/Microsoft/DeveloperTools/.onnxruntime and an upload attempt,
# unless this is set before that import. The companion makes no outbound connection and
# keeps nothing else on disk (docs/SECURITY.md; tests/test_promises.py checks it).
os.environ["ORT_DISABLE_TELEMETRY"] = "1"
