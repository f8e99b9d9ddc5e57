"""The evaluation: the superior office's verdicts on an office's figures.

An office reports its own figures (``report.toml``); the office above it verifies them
and records what it accepted, revised or refused in ``evaluation.toml`` beside the
report (:meth:`apacore.loading.agreements.OfficeFiles.evaluation_path` finds it). This
package (a layer between the engine and the renderers) holds its model (:mod:`.model`),
loading and checks (:mod:`.loading`), scoring on top of the engine (:mod:`.scoring`,
results in :mod:`.result`), words (:mod:`.words`) and its on-disk cache (:mod:`.cache`);
the skeleton ``apacore evaluate`` writes is a consumer's (:mod:`apacore.evaluate`).
"""
