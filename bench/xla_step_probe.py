"""Probe: CPU milliseconds of one cached-decoder step of 8 rows as saved, and the same step
compiled with XLA (tf.function(jit_compile=True)); Python TensorFlow 2.18, one intra- and one
inter-op thread. Run with the Python reference venv:
  $(tools/python-reference/venv.sh) bench/xla_step_probe.py
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
B=8; L=302
token=tf.fill([B],13); pos=tf.fill([B],40); done=tf.zeros([B],tf.bool)
mask=tf.concat([tf.zeros([B,41]),tf.fill([B,L-41],-1e9)],1)
self_kv=tf.random.uniform([12,B,8,L,64]); cross=tf.random.uniform([12,B,8,256,64])
plain=lambda: m.step(token,pos,done,mask,self_kv,cross)
jit=tf.function(lambda t,p,d,k,s,c: m.step(t,p,d,k,s,c), jit_compile=True)
def bench(f,reps=40):
    f(); t0=time.process_time()
    for _ in range(reps): out=f()
    return (time.process_time()-t0)/reps*1000, out
a,oa=bench(plain)
print(f"plain step, 8 rows: {a:.1f} ms CPU", flush=True)
try:
    b,ob=bench(lambda: jit(token,pos,done,mask,self_kv,cross))
    print(f"XLA-compiled step, 8 rows: {b:.1f} ms CPU", flush=True)
    ka=oa["next_token"] if isinstance(oa,dict) else oa[0]
    kb=ob["next_token"] if isinstance(ob,dict) else ob[0]
    print("same next tokens:", bool(tf.reduce_all(ka==kb)))
except Exception as e:
    print("XLA failed:", type(e).__name__, str(e)[:300])
