"""The playground's data files (its public/data folder): manifest.json plus, per split,
<dataset>-<split>.bin.gz = gzip of uint8 pixels [count, rows, cols] row-major, then uint8
labels [count]. Pixels are normalised as the engine does: x = (p/255 - mean) / std, rounded to
float32, with the dataset's train-split mean and std from config.json.
"""
import gzip
import hashlib
import json
import os

import numpy as np
import torch


class DataFilesMissing(Exception):
    pass


class Split:
    """images [count, 1, rows, cols] float32 (normalised) and labels [count] int64."""

    def __init__(self, data_dir, dataset, split, mean, std):
        manifest_path = os.path.join(data_dir, "manifest.json")
        if not os.path.exists(manifest_path):
            raise DataFilesMissing(
                f"no {manifest_path}: pass --data-dir pointing at the playground's public/data folder "
                f"(or a copy of manifest.json and {dataset}-{split}.bin.gz)")
        with open(manifest_path) as f:
            manifest = json.load(f)
        entry = next((e for e in manifest["files"] if e["dataset"] == dataset and e["split"] == split), None)
        if entry is None:
            raise DataFilesMissing(f"{manifest_path} has no entry for {dataset}/{split}")
        path = os.path.join(data_dir, os.path.basename(entry["path"]))
        if not os.path.exists(path):
            raise DataFilesMissing(f"missing {path} (listed in {manifest_path})")
        with gzip.open(path, "rb") as f:
            raw = f.read()
        if hashlib.sha256(raw).hexdigest() != entry["sha256Raw"]:
            raise ValueError(f"{path}: checksum mismatch with {manifest_path}")
        count, rows, cols = entry["count"], entry["rows"], entry["cols"]
        pixels = np.frombuffer(raw, dtype=np.uint8, count=count * rows * cols).reshape(count, 1, rows, cols)
        lut = ((np.arange(256, dtype=np.float64) / 255 - mean) / std).astype(np.float32)
        self.images = torch.from_numpy(lut[pixels])
        self.labels = torch.from_numpy(np.frombuffer(raw, dtype=np.uint8, offset=count * rows * cols).astype(np.int64))
        self.count = count
