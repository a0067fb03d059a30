"""Probe: CPU seconds per image of the cached model's encoder at batch 1, 2, 4 and 8 (Python
TensorFlow 2.18, the runtime TensorFlow Java 1.1.0 embeds; one intra- and one inter-op thread;
8 random 512x512 inputs). Run with the Python reference venv:
  $(tools/python-reference/venv.sh) bench/encoder_batch_probe.py
"""
import time

import cached_model  # first: it sets TensorFlow's environment and threads
import tensorflow as tf

m = cached_model.load()
enc = m.signatures["encode"] if "encode" in m.signatures else m.encode
x = tf.random.uniform([8, 512, 512, 3])
def run(b, reps):
    t0 = time.process_time(); w0 = time.time()
    for r in range(reps):
        for i in range(0, 8, b):
            enc(images=x[i:i+b])
    return (time.process_time()-t0)/(8*reps), (time.time()-w0)/(8*reps)
run(1,1); run(8,1)
for b in (1, 2, 4, 8):
    cpu, wall = run(b, 2)
    print(f"batch {b}: {cpu:.3f} CPU-s per image, {wall:.3f} s wall per image", flush=True)
