#!/usr/bin/env python3
"""Prints a benchmark JSONL file as a Markdown table with ratios against the Python row."""
import json
import sys


def main(path):
    rows = [json.loads(line) for line in open(path) if line.strip()]
    py = next(r for r in rows if r["engine"].startswith("python"))
    print("| engine | concurrency | img/s | × Python img/s | CPU s / image | peak RSS MiB "
          "| × Python RSS | same SMILES as Python |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        same = sum(1 for k, v in r["smiles"].items() if py["smiles"].get(k) == v)
        print(f"| {r['engine']} | {r['concurrency']} | {r['imagesPerSecond']:.3f} "
              f"| {r['imagesPerSecond'] / py['imagesPerSecond']:.2f} "
              f"| {r['cpuSecondsPerImage']:.2f} | {r['peakRssMib']} "
              f"| {r['peakRssMib'] / py['peakRssMib']:.2f} | {same} / {r['images']} |")
    cached = [r for r in rows if "preprocessCpuSecondsPerImage" in r]
    if cached:
        print()
        print("| engine | concurrency | batch | rows per step | ms per step | CPU s / image: "
              "preprocessing | encoder | decoder (rest) | encoder-only img/s |")
        print("|---|---|---|---|---|---|---|---|---|")
    for r in cached:
        pre = r["preprocessCpuSecondsPerImage"]
        enc = r["preprocessAndEncoderCpuSecondsPerImage"] - pre
        dec = r["cpuSecondsPerImage"] - r["preprocessAndEncoderCpuSecondsPerImage"]
        print(f"| {r['engine']} | {r['concurrency']} | {r['maxBatch']} "
              f"| {r['meanRowsPerStep']:.1f} | {r['msPerStep']:.1f} | {pre:.3f} | {enc:.3f} "
              f"| {dec:.3f} | {r['preprocessAndEncoderImagesPerSecond']:.3f} |")


if __name__ == "__main__":
    main(sys.argv[1])
