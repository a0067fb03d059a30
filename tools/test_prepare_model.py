#!/usr/bin/env python3
"""Tests of prepare_model.py's supply-chain checks; no TensorFlow, no network.

    python3 tools/test_prepare_model.py

The published tokenizer itself goes through the same unpickler whenever a model is prepared
(the integration tier prepares one from PyPI on a fresh machine).
"""
import collections
import io
import json
import os
import pickle
import pickletools
import sys
import tempfile
import types
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import prepare_model  # noqa: E402

PRINTED_TOKENIZER_SHA256 = "c1d579f958146bb1a948320dad92f0eecf4a51001ec9dec1f48767c7b681b43c"


def globals_named(data):
    """The (module, name) pairs a pickle asks find_class for, read from its opcodes."""
    memo, pushed, found = {}, [], set()
    for op, arg, _ in pickletools.genops(data):
        if op.name in ("SHORT_BINUNICODE", "BINUNICODE", "UNICODE", "BINUNICODE8"):
            pushed.append(arg)
        elif op.name == "MEMOIZE":
            memo[len(memo)] = pushed[-1] if pushed else None
        elif op.name in ("BINPUT", "LONG_BINPUT", "PUT"):
            memo[arg] = pushed[-1] if pushed else None
        elif op.name in ("BINGET", "LONG_BINGET", "GET"):
            pushed.append(memo.get(arg))
        elif op.name == "STACK_GLOBAL":
            found.add((pushed[-2], pushed[-1]))
            pushed.append(None)
        elif op.name in ("GLOBAL", "INST"):
            found.add(tuple(arg.split(" ", 1)))
            pushed.append(None)
        else:
            pushed.append(None)
    return found


def unpickle(data):
    return prepare_model._TokenizerUnpickler(io.BytesIO(data)).load()


class _Call:
    """Pickles as a call of fn(*args), the way a malicious pickle would be written."""

    def __init__(self, fn, *args):
        self.fn, self.args = fn, args

    def __reduce__(self):
        return self.fn, self.args


def keras_like_tokenizer_pickle():
    """A pickle shaped like DECIMER's: keras' Tokenizer with its OrderedDict/defaultdict state."""
    module = types.ModuleType("keras.preprocessing.text")

    class Tokenizer:
        pass

    Tokenizer.__module__ = module.__name__
    Tokenizer.__qualname__ = "Tokenizer"
    module.Tokenizer = Tokenizer
    saved = {k: sys.modules.get(k) for k in ("keras", "keras.preprocessing", module.__name__)}
    sys.modules.update({"keras": types.ModuleType("keras"),
                        "keras.preprocessing": types.ModuleType("keras.preprocessing"),
                        module.__name__: module})
    try:
        tok = Tokenizer()
        tok.word_counts = collections.OrderedDict([("C", 5), ("<end>", 1)])
        tok.word_docs = collections.defaultdict(int, {"C": 2})
        tok.index_docs = collections.defaultdict(int, {1: 2})
        tok.word_index = {"<pad>": 0, "C": 1, "<end>": 2}
        tok.index_word = {0: "<pad>", 1: "C", 2: "<end>"}
        tok.filters = ""
        return pickle.dumps(tok, protocol=4)
    finally:
        for k, v in saved.items():
            if v is None:
                sys.modules.pop(k, None)
            else:
                sys.modules[k] = v


class UnpicklerTest(unittest.TestCase):

    def test_builtins_eval_is_refused(self):
        data = pickle.dumps(_Call(eval, "__import__('os').getpid()"), protocol=4)
        with self.assertRaisesRegex(pickle.UnpicklingError, r"refusing builtins\.eval"):
            unpickle(data)

    def test_builtins_exec_and_import_are_refused(self):
        for fn in (exec, __import__, getattr):
            with self.subTest(fn=fn.__name__):
                with self.assertRaisesRegex(pickle.UnpicklingError,
                                            rf"refusing builtins\.{fn.__name__}"):
                    unpickle(pickle.dumps(_Call(fn, "os"), protocol=4))

    def test_os_system_is_refused_and_never_runs(self):
        with tempfile.TemporaryDirectory() as tmp:
            marker = os.path.join(tmp, "ran")
            data = pickle.dumps(_Call(os.system, f"touch {marker}"), protocol=4)
            with self.assertRaisesRegex(pickle.UnpicklingError, r"refusing (os|posix)\.system"):
                unpickle(data)
            self.assertFalse(os.path.exists(marker))

    def test_keras_tokenizer_classes_are_allowed(self):
        data = keras_like_tokenizer_pickle()
        # The same globals as the published pickle, no more.
        self.assertEqual(globals_named(data), set(prepare_model.TOKENIZER_GLOBALS))
        with tempfile.TemporaryDirectory() as tmp:
            pkl = os.path.join(tmp, "tokenizer_SMILES.pkl")
            with open(pkl, "wb") as f:
                f.write(data)
            out = os.path.join(tmp, "index_word.json")
            prepare_model.export_index_word(pkl, out)
            with open(out, encoding="utf-8") as f:
                self.assertEqual(json.load(f), {"0": "<pad>", "1": "C", "2": "<end>"})


class PinningTest(unittest.TestCase):

    def test_handdrawn_without_checksum_is_refused_before_anything_is_fetched(self):
        with tempfile.TemporaryDirectory() as cache:
            with self.assertRaisesRegex(prepare_model.PreparationError,
                                        r"no checksums pinned.*--sha256"):
                prepare_model.prepare("decimer-2.8-handdrawn", cache, "/nonexistent.zip", None)
            self.assertFalse(os.path.exists(os.path.join(cache, "venv")))

    def test_malformed_checksum_is_refused(self):
        with self.assertRaisesRegex(prepare_model.PreparationError, "64 hex digits"):
            prepare_model.expected_archive_sha256("decimer-2.8-handdrawn", "abc")

    def test_printed_needs_no_checksum(self):
        self.assertIsNone(prepare_model.expected_archive_sha256("decimer-2.8-printed", None))

    def _printed_model(self, root, tokenizer_sha):
        printed = os.path.join(root, "decimer-2.8-printed")
        os.makedirs(printed)
        with open(os.path.join(printed, "index_word.json"), "w") as f:
            f.write('{"1": "C"}')
        manifest = {"modelId": "decimer-2.8-printed",
                    "originalSha256": {"assets/tokenizer_SMILES.pkl": tokenizer_sha},
                    "files": {"index_word.json": {"sha256": prepare_model.sha256(
                        os.path.join(printed, "index_word.json"))}}}
        with open(os.path.join(printed, "manifest.json"), "w") as f:
            json.dump(manifest, f)
        return os.path.join(printed, "index_word.json")

    def _archive_with_pickle(self, root):
        model_dir = os.path.join(root, "DECIMER_HandDrawn_model")
        os.makedirs(os.path.join(model_dir, "assets"))
        with open(os.path.join(model_dir, "assets", "tokenizer_SMILES.pkl"), "wb") as f:
            f.write(b"whatever the archive carries")
        return model_dir

    def test_pickle_inside_the_handdrawn_archive_does_not_override_the_pinned_tokenizer(self):
        with tempfile.TemporaryDirectory() as tmp:
            models = os.path.join(tmp, "models")
            index_word = self._printed_model(models, PRINTED_TOKENIZER_SHA256)
            model_dir = self._archive_with_pickle(tmp)
            self.assertEqual(
                prepare_model.tokenizer_for("decimer-2.8-handdrawn", model_dir, models),
                index_word)

    def test_printed_tokenizer_from_another_pickle_is_refused(self):
        with tempfile.TemporaryDirectory() as tmp:
            models = os.path.join(tmp, "models")
            self._printed_model(models, "0" * 64)
            with self.assertRaisesRegex(prepare_model.PreparationError,
                                        "not prepared from the pinned tokenizer"):
                prepare_model.tokenizer_for("decimer-2.8-handdrawn",
                                            self._archive_with_pickle(tmp), models)


class CachedDecoderAdditionTest(unittest.TestCase):
    """A model prepared before the cached decoder existed gets it added, not skipped."""

    def _old_model(self, models):
        final = os.path.join(models, "decimer-2.8-printed")
        os.makedirs(os.path.join(final, "saved_model"))
        with open(os.path.join(final, "saved_model", "saved_model.pb"), "wb") as f:
            f.write(b"graph")
        manifest = {"format": 1, "modelId": "decimer-2.8-printed",
                    "files": {"saved_model/saved_model.pb": {
                        "sha256": prepare_model.sha256(
                            os.path.join(final, "saved_model", "saved_model.pb")), "bytes": 5}}}
        with open(os.path.join(final, "manifest.json"), "w") as f:
            json.dump(manifest, f)
        return final

    def _fake_export(self, calls):
        def call(cmd, env=None):
            calls.append(cmd)
            dst = cmd[cmd.index("--dst") + 1]
            os.makedirs(os.path.join(dst, prepare_model.CACHED_DECODER, "variables"))
            with open(os.path.join(dst, prepare_model.CACHED_DECODER, "saved_model.pb"),
                      "wb") as f:
                f.write(b"cached graph")
            with open(os.path.join(dst, ".cached.json"), "w") as f:
                json.dump({"maxConfidenceDiff": 2e-6, "tolerance": 1e-5}, f)
            return 0
        return call

    def test_prepared_model_without_cached_decoder_gets_it_added(self):
        with tempfile.TemporaryDirectory() as cache:
            final = self._old_model(os.path.join(cache, "models"))
            calls = []
            saved = (prepare_model.ensure_venv, prepare_model.subprocess.call)
            prepare_model.ensure_venv = lambda c: sys.executable
            prepare_model.subprocess.call = self._fake_export(calls)
            try:
                self.assertEqual(prepare_model.prepare("decimer-2.8-printed", cache, "auto"),
                                 final)
            finally:
                prepare_model.ensure_venv, prepare_model.subprocess.call = saved
            self.assertEqual(len(calls), 1)
            self.assertIn("--export-cached", calls[0])
            with open(os.path.join(final, "manifest.json")) as f:
                manifest = json.load(f)
            self.assertEqual(manifest["cachedDecoder"]["checkedAgainstOriginal"]["tolerance"],
                             1e-5)
            entry = manifest["files"]["cached_decoder/saved_model.pb"]
            self.assertEqual(entry["sha256"], prepare_model.sha256(
                os.path.join(final, "cached_decoder", "saved_model.pb")))
            self.assertIn("saved_model/saved_model.pb", manifest["files"])
            # Prepared now: a second run leaves it alone.
            prepare_model.subprocess.call = self._fake_export(calls)
            try:
                prepare_model.prepare("decimer-2.8-printed", cache, "auto")
            finally:
                prepare_model.subprocess.call = saved[1]
            self.assertEqual(len(calls), 1)

    def test_a_changed_prepared_file_stops_the_addition(self):
        with tempfile.TemporaryDirectory() as cache:
            final = self._old_model(os.path.join(cache, "models"))
            with open(os.path.join(final, "saved_model", "saved_model.pb"), "wb") as f:
                f.write(b"tampered")
            with self.assertRaisesRegex(prepare_model.PreparationError, "prepare it again"):
                prepare_model.prepare("decimer-2.8-printed", cache, "auto")
            self.assertFalse(os.path.exists(os.path.join(final, "cached_decoder")))


if __name__ == "__main__":
    unittest.main()
