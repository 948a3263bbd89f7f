"""Edit a workbook in LibreOffice as a person would: run by a Python that can ``import uno``.

Not imported by the package: ``office.edit_with_libreoffice`` runs this file with the UNO Python
(Debian: /usr/bin/python3 with python3-uno) and a job file (JSON). It starts its own soffice (in
the caller's process group, so the caller's timeout kills both), opens the workbook, applies the
job's operations in order, recalculates and stores the result.

Each operation is a JSON object with ``"op"``; rows and columns are 1-based as a person counts
them. Formulas (strings that start with ``=``) are in Excel syntax, parsed with LibreOffice's
OOXML formula parser. LibreOffice's API silently does nothing when a sort, copy or move touches
locked cells of a protected sheet, so those operations refuse to run on a protected sheet
(``unprotect`` first, as a person must), and ``expect`` reads a cell back to prove an edit took.
Any failure exits with code 3 and one ``EDIT-ERROR:`` line on stderr.
"""

import contextlib
import json
import subprocess
import sys
import time

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException

VALUE, DATETIME, STRING, ANNOTATION, FORMULA = 1, 2, 4, 8, 16
ODS_FILTER = "calc8"


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def fail(message):
    sys.stderr.write("EDIT-ERROR: " + message + "\n")
    sys.stderr.flush()
    sys.exit(3)


def ooxml_parser(doc):
    const = uno.getConstantByName
    parser = doc.createInstance("com.sun.star.sheet.FormulaParser")
    mapper = doc.createInstance("com.sun.star.sheet.FormulaOpCodeMapper")
    opmap = mapper.getAvailableMappings(
        const("com.sun.star.sheet.FormulaLanguage.OOXML"),
        const("com.sun.star.sheet.FormulaMapGroup.ALL_EXCEPT_SPECIAL"),
    )
    parser.setPropertyValue("CompileEnglish", True)
    parser.setPropertyValue(
        "FormulaConvention", const("com.sun.star.sheet.AddressConvention.XL_OOX")
    )
    parser.setPropertyValue("IgnoreLeadingSpaces", False)
    uno.invoke(
        parser,
        "setPropertyValue",
        ("OpCodeMap", uno.Any("[]com.sun.star.sheet.FormulaOpCodeMapEntry", tuple(opmap))),
    )
    return parser


class Editor:
    """One open document and the operations on it."""

    def __init__(self, desktop, url):
        self.desktop = desktop
        self.doc = None
        self.parser = None
        self.open(url)

    def open(self, url):
        self.doc = self.desktop.loadComponentFromURL(url, "_blank", 0, (prop("Hidden", True),))
        if self.doc is None or not hasattr(self.doc, "Sheets"):
            fail("LibreOffice could not open the file as a spreadsheet")
        self.parser = None

    def sheet(self, name):
        if not self.doc.Sheets.hasByName(name):
            fail(f"no sheet named {name!r}")
        return self.doc.Sheets.getByName(name)

    def unlocked(self, name, what):
        """The sheet, refusing when it is protected (the API would silently do nothing)."""
        sheet = self.sheet(name)
        if sheet.isProtected():
            fail(f"{what} on protected sheet {name!r}: unprotect it first")
        return sheet

    def cell(self, op):
        return self.sheet(op["sheet"]).getCellRangeByName(op["cell"])

    # ---------------------------------------------------------------- cells

    def op_set(self, op):
        cell, value = self.cell(op), op["value"]
        if value is None:
            cell.clearContents(VALUE | DATETIME | STRING | FORMULA)
        elif isinstance(value, str) and value.startswith("=") and len(value) > 1:
            self.parser = self.parser or ooxml_parser(self.doc)
            tokens = self.parser.parseFormula(value, cell.getCellAddress())
            if not tokens:
                fail(
                    "could not parse formula {!r} for {}!{}".format(value, op["sheet"], op["cell"])
                )
            cell.setTokens(tokens)
        elif isinstance(value, str):
            cell.setString(value)
        else:
            cell.setValue(float(value))

    def op_number_format(self, op):
        formats = self.doc.NumberFormats
        locale = uno.createUnoStruct("com.sun.star.lang.Locale")
        locale.Language, locale.Country = "nb", "NO"
        key = formats.queryKey(op["format"], locale, False)
        if key == -1:
            key = formats.addNew(op["format"], locale)
        self.cell(op).NumberFormat = key

    def op_style(self, op):
        """A cell property over a range: a fill colour, bold ..."""
        cells = self.sheet(op["sheet"]).getCellRangeByName(op["range"])
        cells.setPropertyValue(op["property"], op["value"])

    def op_comment(self, op):
        cell = self.cell(op)
        self.sheet(op["sheet"]).Annotations.insertNew(cell.getCellAddress(), op["text"])

    # ---------------------------------------------------------------- rows, columns, ranges

    def op_insert_rows(self, op):
        sheet = self.sheet(op["sheet"])
        sheet.Rows.insertByIndex(op["row"] - 1, op.get("count", 1))

    def op_delete_rows(self, op):
        sheet = self.sheet(op["sheet"])
        sheet.Rows.removeByIndex(op["row"] - 1, op.get("count", 1))

    def op_insert_columns(self, op):
        sheet = self.sheet(op["sheet"])
        sheet.Columns.insertByIndex(op["column"] - 1, op.get("count", 1))

    def op_delete_columns(self, op):
        sheet = self.sheet(op["sheet"])
        sheet.Columns.removeByIndex(op["column"] - 1, op.get("count", 1))

    def op_hide_row(self, op):
        self.sheet(op["sheet"]).Rows.getByIndex(op["row"] - 1).IsVisible = False

    def op_hide_column(self, op):
        self.sheet(op["sheet"]).Columns.getByIndex(op["column"] - 1).IsVisible = False

    def op_width(self, op):
        column = self.sheet(op["sheet"]).Columns.getByIndex(op["column"] - 1)
        column.Width = int(op["width_mm100"])

    def op_sort(self, op):
        sheet = self.unlocked(op["sheet"], "sorting")
        target = sheet.getCellRangeByName(op["range"])
        field = uno.createUnoStruct("com.sun.star.table.TableSortField")
        field.Field = op["column"] - 1  # within the range
        field.IsAscending = op.get("ascending", True)
        field.IsCaseSensitive = False
        descriptor = list(target.createSortDescriptor())
        for i, p in enumerate(descriptor):
            if p.Name == "SortFields":
                descriptor[i] = prop(
                    "SortFields", uno.Any("[]com.sun.star.table.TableSortField", (field,))
                )
            elif p.Name == "ContainsHeader":
                descriptor[i] = prop("ContainsHeader", False)
        uno.invoke(target, "sort", (tuple(descriptor),))

    def op_move_range(self, op):
        """Cut a range and paste it at a cell (references to it follow, as in Calc)."""
        sheet = self.unlocked(op["sheet"], "cut and paste")
        source = sheet.getCellRangeByName(op["range"]).getRangeAddress()
        target = sheet.getCellRangeByName(op["to"]).getCellAddress()
        sheet.moveRange(target, source)

    def op_copy_range(self, op):
        sheet = self.unlocked(op["sheet"], "copy and paste")
        source = sheet.getCellRangeByName(op["range"]).getRangeAddress()
        target = sheet.getCellRangeByName(op["to"]).getCellAddress()
        sheet.copyRange(target, source)

    def op_paste_values(self, op):
        """Copy a range and paste it over itself as values only (its formulas are gone)."""
        sheet = self.unlocked(op["sheet"], "paste values")
        target = sheet.getCellRangeByName(op["range"])
        target.setDataArray(target.getDataArray())

    def op_autofilter(self, op):
        sheet = self.unlocked(op["sheet"], "AutoFilter")
        address = sheet.getCellRangeByName(op["range"]).getRangeAddress()
        ranges = self.doc.getPropertyValue("UnnamedDatabaseRanges")
        ranges.setByTable(address)
        ranges.getByTable(address.Sheet).AutoFilter = True

    # ---------------------------------------------------------------- sheets

    def op_protect(self, op):
        self.sheet(op["sheet"]).protect("")

    def op_unprotect(self, op):
        self.sheet(op["sheet"]).unprotect("")

    def op_rename_sheet(self, op):
        self.sheet(op["sheet"]).setName(op["name"])

    def op_copy_sheet(self, op):
        self.sheet(op["sheet"])
        self.doc.Sheets.copyByName(op["sheet"], op["name"], op["position"] - 1)

    def op_delete_sheet(self, op):
        self.sheet(op["sheet"])
        self.doc.Sheets.removeByName(op["sheet"])

    def op_move_sheet(self, op):
        self.sheet(op["sheet"])
        self.doc.Sheets.moveByName(op["sheet"], op["position"] - 1)

    # ---------------------------------------------------------------- files

    def op_ods_round_trip(self, op):
        """Save as .ods, close, and open the .ods again (the next save writes .xlsx)."""
        url = uno.systemPathToFileUrl(op["path"])
        self.doc.calculateAll()
        self.doc.storeToURL(url, (prop("FilterName", ODS_FILTER),))
        self.doc.close(True)
        self.open(url)

    # ---------------------------------------------------------------- reading back

    def op_expect(self, op):
        """Fail unless the cell holds what the edit should have left there."""
        cell = self.cell(op)
        where = "{}!{}".format(op["sheet"], op["cell"])
        if "value" in op:
            got = cell.getValue()
            if cell.getType().value == "EMPTY" or abs(got - op["value"]) > 1e-9:
                fail("{} holds {!r}, expected {!r}".format(where, cell.getString(), op["value"]))
        if "string" in op and cell.getString() != op["string"]:
            fail("{} holds {!r}, expected {!r}".format(where, cell.getString(), op["string"]))
        if "formula" in op and (cell.getType().value == "FORMULA") != op["formula"]:
            fail(
                "{}: formula {!r}, expected formula={!r}".format(
                    where, cell.getFormula(), op["formula"]
                )
            )
        if op.get("empty") and cell.getType().value != "EMPTY":
            fail(f"{where} holds {cell.getString()!r}, expected it empty")

    def op_expect_sheets(self, op):
        names = list(self.doc.Sheets.getElementNames())
        if names != op["names"]:
            fail("sheets are {!r}, expected {!r}".format(names, op["names"]))

    def op_expect_hidden(self, op):
        if self.sheet(op["sheet"]).Rows.getByIndex(op["row"] - 1).IsVisible:
            fail(f"row {op['row']} of {op['sheet']!r} is visible")


def run_unprotecting(editor, handler, op):
    """Run one operation as a person does on a protected sheet: unprotect, edit, protect."""
    sheet = editor.sheet(op["sheet"])
    protected = sheet.isProtected()
    if protected:
        sheet.unprotect("")
    handler(op)
    if protected:
        sheet.protect("")


def edit_document(desktop, document, filter_name, label):
    """Open one document, apply its operations in order, recalculate and store it."""
    editor = Editor(desktop, uno.systemPathToFileUrl(document["source"]))
    for i, op in enumerate(document["ops"]):
        handler = getattr(editor, "op_" + op["op"], None)
        if handler is None:
            fail("{}unknown operation {!r}".format(label, op["op"]))
        try:
            run_unprotecting(editor, handler, op) if op.get("unprotecting") else handler(op)
        except SystemExit:
            raise
        except Exception as exc:  # a UNO exception: name the operation
            fail(f"{label}operation {i + 1} {op!r} failed: {exc}")
    doc = editor.doc
    doc.calculateAll()
    doc.storeToURL(uno.systemPathToFileUrl(document["target"]), (prop("FilterName", filter_name),))
    doc.close(True)


def main():
    with open(sys.argv[1], encoding="utf-8") as fh:
        job = json.load(fh)
    accept = "pipe,name={};urp;StarOffice.ComponentContext".format(job["pipe"])
    office = subprocess.Popen(
        [
            job["soffice"],
            "-env:UserInstallation=" + job["profile"],
            *job["flags"],
            "--accept=" + accept,
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
    )
    desktop = None
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local
        )
        while True:
            try:
                ctx = resolver.resolve("uno:" + accept)
                break
            except NoConnectException:
                if office.poll() is not None:
                    fail(f"soffice exited (code {office.returncode}) before accepting a connection")
                time.sleep(0.05)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        for n, document in enumerate(job["documents"]):
            edit_document(desktop, document, job["filter"], f"document {n + 1}: ")
    finally:
        if desktop is not None:
            # The bridge is disposed while the office shuts down.
            with contextlib.suppress(Exception):
                desktop.terminate()
        try:
            office.wait(timeout=30)
        except subprocess.TimeoutExpired:
            office.kill()


if __name__ == "__main__":
    main()
