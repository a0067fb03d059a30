"""Probe: CPU seconds per image of the cached model's encoder at batch 1, 2, 4 and 8 (Python
TensorFlow 2.18, the runtime TensorFlow Java 1.1.0 embeds; one intra- and one inter-op thread;
8 random 512x512 inputs). Run with the Python reference venv:
  $(tools/python-reference/venv.sh) bench/encoder_batch_probe.py
"""
import os
import sys
import time
os.environ["CUDA_VISIBLE_DEVICES"]=""
os.environ["TF_CPP_MIN_LOG_LEVEL"]="3"
import tensorflow as tf
tf.config.threading.set_intra_op_parallelism_threads(1)
tf.config.threading.set_inter_op_parallelism_threads(1)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
import prepare_model  # noqa: E402  (where the prepared model lives)

m = tf.saved_model.load(os.path.join(prepare_model.default_cache(), "models",
                                     "decimer-2.8-printed", "cached_decoder"))
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
