using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace MineRisk.Web.Platform.Excel;

/// <summary>A row of a sheet: its Excel row number and the text of each cell by column index (empty when absent).</summary>
public sealed record XlsxRow(int Number, IReadOnlyList<string> Cells)
{
    public string this[int column] => column < Cells.Count ? Cells[column] : "";

    public bool IsEmpty => Cells.All(string.IsNullOrWhiteSpace);
}

/// <summary>
/// Reads the first sheet of an .xlsx as text, row by row (SAX, so large files stay small in memory): shared and inline
/// strings, numbers in invariant form, booleans as 1/0. Date cells stay numbers (Excel serials): callers that expect a
/// date convert with <see cref="TryParseDate"/>, which also accepts text dates.
/// </summary>
public static class XlsxReader
{
    /// <summary>Opens the workbook; a file that is not a valid .xlsx gives a Chinese <see cref="InvalidDataException"/>.</summary>
    public static IEnumerable<XlsxRow> ReadFirstSheet(Stream stream)
    {
        SpreadsheetDocument document;
        try
        {
            document = SpreadsheetDocument.Open(stream, false);
        }
        catch (Exception ex) when (ex is OpenXmlPackageException or InvalidDataException or IOException or FileFormatException or ArgumentException)
        {
            throw new InvalidDataException("文件不是有效的 Excel（.xlsx）文件。", ex);
        }

        return Read(document);
    }

    private static IEnumerable<XlsxRow> Read(SpreadsheetDocument document)
    {
        using (document)
        {
            var workbook = document.WorkbookPart ?? throw new InvalidDataException("Excel 文件中没有工作簿。");
            var sheet = workbook.Workbook.Sheets?.Elements<Sheet>().FirstOrDefault() ?? throw new InvalidDataException("Excel 文件中没有工作表。");
            var part = (WorksheetPart)workbook.GetPartById(sheet.Id!);
            var shared = workbook.SharedStringTablePart?.SharedStringTable.Elements<SharedStringItem>().Select(s => s.InnerText).ToArray() ?? [];
            using var reader = OpenXmlReader.Create(part);
            while (reader.Read())
            {
                if (reader.ElementType != typeof(Row) || !reader.IsStartElement)
                {
                    continue;
                }

                var row = (Row)reader.LoadCurrentElement()!;
                var cells = new List<string>();
                foreach (var cell in row.Elements<Cell>())
                {
                    var index = cell.CellReference?.Value is { } reference ? ColumnIndex(reference) : cells.Count;
                    while (cells.Count < index)
                    {
                        cells.Add("");
                    }

                    cells.Add(TextOf(cell, shared).Trim());
                }

                yield return new XlsxRow((int)(row.RowIndex?.Value ?? 0), cells);
            }
        }
    }

    private static string TextOf(Cell cell, string[] shared)
    {
        var type = cell.DataType?.Value;
        if (type == CellValues.InlineString)
        {
            return cell.InlineString?.InnerText ?? "";
        }

        var value = cell.CellValue?.Text ?? "";
        if (type == CellValues.SharedString)
        {
            return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) && i >= 0 && i < shared.Length ? shared[i] : "";
        }

        return value;
    }

    private static int ColumnIndex(string reference)
    {
        var index = 0;
        foreach (var c in reference)
        {
            if (!char.IsAsciiLetter(c))
            {
                break;
            }

            index = (index * 26) + (char.ToUpperInvariant(c) - 'A' + 1);
        }

        return index - 1;
    }

    /// <summary>An Excel date serial (e.g. 46203) or a text date (2026-06-30, 2026/6/30, 2026年6月30日).</summary>
    public static bool TryParseDate(string text, out DateOnly date)
    {
        date = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var serial) && serial is > 1 and < 2958466)
        {
            date = DateOnly.FromDateTime(DateTime.FromOADate(serial));
            return true;
        }

        string[] formats = ["yyyy-MM-dd", "yyyy-M-d", "yyyy/MM/dd", "yyyy/M/d", "yyyy年M月d日", "yyyy.M.d", "yyyyMMdd"];
        return DateOnly.TryParseExact(text.Trim(), formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
    }
}
