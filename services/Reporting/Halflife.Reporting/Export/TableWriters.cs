using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Halflife.Reporting.Export;

/// <summary>CSV with CsvHelper, UTF-8 with a byte-order mark so that Excel shows Korean correctly; one row at a time.</summary>
public sealed class CsvTableWriter : IDisposable
{
    private readonly StreamWriter _text;
    private readonly CsvWriter _csv;

    public CsvTableWriter(string path)
    {
        _text = new StreamWriter(path, false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        _csv = new CsvWriter(_text, new CsvConfiguration(CultureInfo.InvariantCulture));
        foreach (var h in ExportRow.Headers) _csv.WriteField(h);
        _csv.NextRecord();
    }

    public void Write(ExportRow row)
    {
        foreach (var cell in row.Cells()) _csv.WriteField(cell switch { null => "", IFormattable f => f.ToString(null, CultureInfo.InvariantCulture), _ => cell.ToString() });
        _csv.NextRecord();
    }

    public void Dispose()
    {
        _csv.Dispose();
        _text.Dispose();
    }
}

/// <summary>
/// XLSX written in streaming mode: the worksheet is produced by the Open XML SDK's forward-only OpenXmlWriter (SAX
/// style, inline strings) straight into a zip entry, so rows go to disk as they come. The package around it (content
/// types, relationships, workbook) is four fixed parts written here, because the SDK 2.20 opens every package it
/// creates for update, and System.IO.Packaging then keeps each part in memory until the end.
/// </summary>
public sealed class XlsxTableWriter : IDisposable
{
    private readonly FileStream _file;
    private readonly System.IO.Compression.ZipArchive _zip;
    private readonly Stream _sheet;
    private readonly OpenXmlWriter _writer;
    private uint _row;

    public XlsxTableWriter(string path)
    {
        _file = new FileStream(path, FileMode.Create, FileAccess.Write);
        _zip = new System.IO.Compression.ZipArchive(_file, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true);
        Part("[Content_Types].xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>
            """);
        Part("_rels/.rels", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>
            """);
        Part("xl/workbook.xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="pairs" sheetId="1" r:id="rId1"/></sheets></workbook>
            """);
        Part("xl/_rels/workbook.xml.rels", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>
            """);
        _sheet = _zip.CreateEntry("xl/worksheets/sheet1.xml", System.IO.Compression.CompressionLevel.Fastest).Open();
        _writer = OpenXmlWriter.Create(_sheet, Encoding.UTF8);
        _writer.WriteStartDocument(true);
        _writer.WriteStartElement(new Worksheet());
        _writer.WriteStartElement(new SheetData());
        WriteRow(ExportRow.Headers);
    }

    private void Part(string name, string xml)
    {
        using var stream = _zip.CreateEntry(name, System.IO.Compression.CompressionLevel.Fastest).Open();
        stream.Write(new UTF8Encoding(false).GetBytes(xml.Trim()));
    }

    public void Write(ExportRow row) => WriteRow(row.Cells());

    private void WriteRow(object?[] cells)
    {
        _row++;
        _writer.WriteStartElement(new Row { RowIndex = _row });
        for (var i = 0; i < cells.Length; i++)
        {
            var reference = Column(i) + _row.ToString(CultureInfo.InvariantCulture);
            switch (cells[i])
            {
                case null:
                    break;
                case int n:
                    _writer.WriteElement(new Cell { CellReference = reference, DataType = CellValues.Number, CellValue = new CellValue(n.ToString(CultureInfo.InvariantCulture)) });
                    break;
                default:
                    var text = new Text(XmlSafe(cells[i]!.ToString()!)) { Space = SpaceProcessingModeValues.Preserve };
                    _writer.WriteElement(new Cell { CellReference = reference, DataType = CellValues.InlineString, InlineString = new InlineString(text) });
                    break;
            }
        }
        _writer.WriteEndElement();
    }

    public static string Column(int index)
    {
        var name = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26) name = (char)('A' + (n - 1) % 26) + name;
        return name;
    }

    /// <summary>XML 1.0 cannot carry most control characters; a report pasted from a terminal may have them.</summary>
    private static string XmlSafe(string s) => s.Any(c => c < 0x20 && c is not ('\t' or '\n' or '\r'))
        ? new string(s.Where(c => c >= 0x20 || c is '\t' or '\n' or '\r').ToArray())
        : s;

    public void Dispose()
    {
        _writer.WriteEndElement(); // SheetData
        _writer.WriteEndElement(); // Worksheet
        _writer.Close();
        _sheet.Dispose();
        _zip.Dispose();
        _file.Dispose();
    }
}
