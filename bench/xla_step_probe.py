"""Probe: CPU milliseconds of one cached-decoder step of 8 rows as saved, and the same step
compiled with XLA (tf.function(jit_compile=True)); Python TensorFlow 2.18, one intra- and one
inter-op thread. Run with the Python reference venv:
  $(tools/python-reference/venv.sh) bench/xla_step_probe.py
"""
import time

import cached_model  # first: it sets TensorFlow's environment and threads
import tensorflow as tf

m = cached_model.load()
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
