#!/usr/bin/env python3
"""Python DECIMER 2.8.1 over a set of images in one process, as the users' workers run it.

Loads the model (first image, untimed), then times ``predict_SMILES(path, confidence=True)``
over every image and prints one JSON object: images, wall seconds, img/s, CPU seconds per image,
peak RSS (MiB) and the SMILES, for comparison with the Java engine in the same run.
"""
import json
import os
import resource
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "tools", "python-reference"))
import reference  # noqa: E402  (stages the checked weights where DECIMER looks)

SUFFIXES = (".png", ".jpg", ".jpeg")


def main():
    dirs = sys.argv[1:]
    # Staging may first download the weights, and pip writes to stdout: keep stdout for JSON.
    sys.stdout.flush()
    saved = os.dup(1)
    os.dup2(2, 1)
    try:
        reference.stage_weights(os.path.abspath(reference.prepare_model.default_cache()))
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)
    from DECIMER import predict_SMILES

    images = sorted(os.path.join(d, n) for d in dirs for n in os.listdir(d)
                    if n.lower().endswith(SUFFIXES))
    predict_SMILES(images[0])  # loads the model
    t0, c0 = time.perf_counter(), time.process_time()
    smiles = {}
    for path in images:
        smiles[os.path.basename(path)] = predict_SMILES(path, confidence=True)[0]
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(json.dumps({
        "engine": "python-decimer-2.8.1", "concurrency": 1, "images": len(images),
        "wallSeconds": round(wall, 2), "imagesPerSecond": round(len(images) / wall, 3),
        "cpuSecondsPerImage": round(cpu / len(images), 3),
        "peakRssMib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        "smiles": smiles}))


if __name__ == "__main__":
    main()
