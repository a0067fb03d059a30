"""Shared set-up of the Python probes of the cached decoder: TensorFlow on the CPU with one
intra- and one inter-op thread (as the pipeline runs each op), and the prepared model's
cached_decoder SavedModel."""
import os
import sys

os.environ["CUDA_VISIBLE_DEVICES"] = ""
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import tensorflow as tf  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
import prepare_model  # noqa: E402  (where the prepared model lives)

tf.config.threading.set_intra_op_parallelism_threads(1)
tf.config.threading.set_inter_op_parallelism_threads(1)


def load():
    return tf.saved_model.load(os.path.join(prepare_model.default_cache(), "models",
                                            "decimer-2.8-printed", "cached_decoder"))
