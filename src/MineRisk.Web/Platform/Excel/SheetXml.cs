using System.Globalization;
using System.Text;
using System.Xml;

namespace MineRisk.Web.Platform.Excel;

/// <summary>
/// The worksheet part of <see cref="XlsxWriter"/> written straight as XML (SpreadsheetML, ECMA-376 Part 1 §18.3): the
/// SDK's OpenXmlWriter made an element object, an attribute list and a reference string for every cell — most of a
/// 100,000-row export's time. Elements come in the order the schema requires (sheetPr, sheetViews, cols, sheetData,
/// autoFilter, pageMargins, pageSetup); strings are inline (t="inlineStr"), dates Excel serial numbers in China time.
/// </summary>
internal sealed class SheetXml : IDisposable
{
    private const string Ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    private readonly XmlWriter _xml;
    private readonly IReadOnlyList<XlsxColumn> _columns;
    private readonly string[] _names;

    public SheetXml(Stream output, IReadOnlyList<XlsxColumn> columns)
    {
        _xml = XmlWriter.Create(output, new XmlWriterSettings { Encoding = new UTF8Encoding(false), CloseOutput = false });
        _columns = columns;
        _names = Enumerable.Range(0, columns.Count).Select(XlsxWriter.ColumnName).ToArray();
    }

    /// <summary>Everything before the rows. Printed as the offices file them: landscape A4, one page wide, the header frozen.</summary>
    public void Start()
    {
        _xml.WriteStartDocument(true);
        _xml.WriteStartElement("worksheet", Ns);
        _xml.WriteStartElement("sheetPr", Ns);
        Empty("pageSetUpPr", ("fitToPage", "1"));
        _xml.WriteEndElement();
        _xml.WriteStartElement("sheetViews", Ns);
        _xml.WriteStartElement("sheetView", Ns);
        _xml.WriteAttributeString("workbookViewId", "0");
        Empty("pane", ("ySplit", "1"), ("topLeftCell", "A2"), ("activePane", "bottomLeft"), ("state", "frozen"));
        _xml.WriteEndElement();
        _xml.WriteEndElement();
        _xml.WriteStartElement("cols", Ns);
        for (var i = 0; i < _columns.Count; i++)
        {
            var n = (i + 1).ToString(CultureInfo.InvariantCulture);
            Empty("col", ("min", n), ("max", n), ("width", XlsxWriter.WidthOf(_columns[i]).ToString("R", CultureInfo.InvariantCulture)), ("customWidth", "1"));
        }

        _xml.WriteEndElement();
        _xml.WriteStartElement("sheetData", Ns);
    }

    public void Row(uint rowIndex, object?[] values, bool header)
    {
        var r = rowIndex.ToString(CultureInfo.InvariantCulture);
        _xml.WriteStartElement("row", Ns);
        _xml.WriteAttributeString("r", r);
        for (var i = 0; i < _columns.Count; i++)
        {
            var value = i < values.Length ? values[i] : null;
            if (value is null || (value is string s && s.Length == 0))
            {
                continue;
            }

            var reference = _names[i] + r;
            if (header)
            {
                Text(reference, Convert.ToString(value, CultureInfo.InvariantCulture)!, XlsxWriter.HeaderStyle);
                continue;
            }

            switch (value)
            {
                case DateTime dt:
                    var local = ChinaTime.ToChina(dt);
                    var dateOnly = _columns[i].Type == XlsxType.Date;
                    Number(reference, (dateOnly ? local.Date : local).ToOADate(), dateOnly ? XlsxWriter.DateStyle : XlsxWriter.DateTimeStyle);
                    break;
                case DateOnly d:
                    Number(reference, d.ToDateTime(TimeOnly.MinValue).ToOADate(), XlsxWriter.DateStyle);
                    break;
                case int or long or double or decimal or float or short:
                    Number(reference, Convert.ToDouble(value, CultureInfo.InvariantCulture), 0);
                    break;
                case bool b:
                    Text(reference, b ? "是" : "否", 0);
                    break;
                case Enum e:
                    Text(reference, e.Label(), 0);
                    break;
                default:
                    var text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
                    Text(reference, text, text.Contains('\n') ? XlsxWriter.WrapStyle : 0);
                    break;
            }
        }

        _xml.WriteEndElement();
    }

    /// <summary>Everything after the rows; <paramref name="lastRow"/> bounds the auto-filter.</summary>
    public void End(uint lastRow)
    {
        _xml.WriteEndElement(); // sheetData
        Empty("autoFilter", ("ref", $"A1:{_names[^1]}{lastRow.ToString(CultureInfo.InvariantCulture)}"));
        Empty("pageMargins", ("left", "0.4"), ("right", "0.4"), ("top", "0.6"), ("bottom", "0.6"), ("header", "0.3"), ("footer", "0.3"));
        Empty("pageSetup", ("paperSize", "9"), ("orientation", "landscape"), ("fitToWidth", "1"), ("fitToHeight", "0"));
        _xml.WriteEndElement(); // worksheet
        _xml.WriteEndDocument();
        _xml.Flush();
    }

    public void Dispose() => _xml.Dispose();

    private void Text(string reference, string text, uint style)
    {
        // Excel cells hold at most 32,767 characters; control characters other than tab and line breaks are not allowed in XML.
        if (text.Length > 32000)
        {
            text = text[..32000] + "…";
        }

        if (text.AsSpan().IndexOfAnyInRange('\0', '\u001f') >= 0)
        {
            text = new string(text.Where(c => c >= ' ' || c is '\n' or '\t' or '\r').ToArray());
        }

        Cell(reference, style, inline: true);
        _xml.WriteStartElement("is", Ns);
        _xml.WriteStartElement("t", Ns);
        _xml.WriteAttributeString("xml", "space", null, "preserve");
        _xml.WriteString(text);
        _xml.WriteEndElement();
        _xml.WriteEndElement();
        _xml.WriteEndElement();
    }

    private void Number(string reference, double number, uint style)
    {
        Cell(reference, style, inline: false);
        _xml.WriteStartElement("v", Ns);
        _xml.WriteString(number.ToString("R", CultureInfo.InvariantCulture));
        _xml.WriteEndElement();
        _xml.WriteEndElement();
    }

    private void Cell(string reference, uint style, bool inline)
    {
        _xml.WriteStartElement("c", Ns);
        _xml.WriteAttributeString("r", reference);
        if (style != 0)
        {
            _xml.WriteAttributeString("s", style.ToString(CultureInfo.InvariantCulture));
        }

        if (inline)
        {
            _xml.WriteAttributeString("t", "inlineStr");
        }
    }

    private void Empty(string name, params (string Name, string Value)[] attributes)
    {
        _xml.WriteStartElement(name, Ns);
        foreach (var (attribute, value) in attributes)
        {
            _xml.WriteAttributeString(attribute, value);
        }

        _xml.WriteEndElement();
    }
}
