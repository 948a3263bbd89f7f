"""The one reading of an edited workbook, shared by every command.

``read_edited`` reads a workbook once (``xlsx``), evaluates it once (``evaluate``), resolves
the facts it is read under (``facts``: its generation record or ``--spec``, always bounded by
the scheme), reads its inputs through the map (``inputs``), screens its texts (``screen``)
and finds the layout where the workbook has it (``locate``). ``digest`` gives the content id.
"""

from .reading import Edited, read_back, read_edited, read_written

__all__ = ["Edited", "read_back", "read_edited", "read_written"]
