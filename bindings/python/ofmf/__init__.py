# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
"""ofmf: fabric model, topology formats and generators, routing engines
and route analysis, hardware backends.

Everything is defined by the compiled module ``ofmf._ofmf`` and
re-exported here; see ``help(ofmf.Fabric)`` and the stub ``_ofmf.pyi``.
Library errors raise subclasses of :class:`OfmfError` carrying ``.code``.
"""

from . import _ofmf
from ._ofmf import *  # noqa: F401,F403

__version__ = _ofmf.__version__
__all__ = [name for name in dir(_ofmf) if not name.startswith("_")]
