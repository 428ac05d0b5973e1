using System.IO.Compression;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace MineRisk.Web.Platform.Excel;

public enum XlsxType
{
    Text,
    Number,
    /// <summary>A UTC <see cref="DateTime"/>, written as a China-time Excel date (yyyy-mm-dd hh:mm).</summary>
    DateTime,
    /// <summary>A <see cref="DateOnly"/> or a UTC <see cref="System.DateTime"/> shown as a China-time date.</summary>
    Date,
}

/// <summary>A column of an exported ledger: its Chinese header, width in characters, and cell type.</summary>
public sealed record XlsxColumn(string Header, double Width = 14, XlsxType Type = XlsxType.Text);

/// <summary>
/// Writes a ledger as one .xlsx sheet: bold header row, frozen, with an auto-filter; rows streamed one by one
/// (an XmlWriter, inline strings) so memory stays flat however many rows there are. The package is built in a
/// temporary file (the zip format needs to seek) and then copied to the output.
/// </summary>
public static class XlsxWriter
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    // Cell formats of AddStyles, by index.
    internal const uint HeaderStyle = 1;
    internal const uint DateTimeStyle = 2;
    internal const uint DateStyle = 3;
    internal const uint WrapStyle = 4;

    /// <summary>
    /// Streams the workbook: the small parts (styles, the workbook with the sheet's name and print titles, relationships,
    /// content types) are made by the SDK in memory around an empty sheet; the file is then written as a write-only zip
    /// into a temporary file — those parts copied, the sheet written row by row into its entry as the rows arrive — and
    /// sent. Memory stays flat whatever the number of rows: a package opened by the SDK for writing keeps every part in
    /// memory until it is closed (the sheet of a 100,000-row ledger is some 150 MB of XML; bench/hazards.sh measured
    /// 360 MB more resident memory during such an export).
    /// </summary>
    public static async Task WriteAsync(Stream output, string sheetName, IReadOnlyList<XlsxColumn> columns, IAsyncEnumerable<object?[]> rows, CancellationToken ct)
    {
        using var skeleton = new MemoryStream();
        string sheetEntry;
        using (var document = SpreadsheetDocument.Create(skeleton, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            AddStyles(workbook);
            var sheetPart = workbook.AddNewPart<WorksheetPart>();
            using (var writer = OpenXmlWriter.Create(sheetPart))
            {
                writer.WriteElement(new Worksheet());
            }

            var name = SafeSheetName(sheetName);
            workbook.Workbook.AppendChild(new Sheets(new Sheet { Id = workbook.GetIdOfPart(sheetPart), SheetId = 1, Name = name }));
            workbook.Workbook.AppendChild(new DefinedNames(new DefinedName($"'{name.Replace("'", "''", StringComparison.Ordinal)}'!$1:$1") { Name = "_xlnm.Print_Titles", LocalSheetId = 0 }));
            workbook.Workbook.Save();
            sheetEntry = sheetPart.Uri.OriginalString.TrimStart('/');
        }

        var temp = Path.Combine(Path.GetTempPath(), $"minerisk-{Guid.NewGuid():N}.xlsx");
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920))
            using (var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true))
            {
                skeleton.Position = 0;
                using (var parts = new ZipArchive(skeleton, ZipArchiveMode.Read, leaveOpen: true))
                {
                    foreach (var entry in parts.Entries.Where(e => e.FullName != sheetEntry))
                    {
                        using var from = entry.Open();
                        using var to = zip.CreateEntry(entry.FullName, CompressionLevel.Optimal).Open();
                        await from.CopyToAsync(to, ct);
                    }
                }

                using var sheetStream = zip.CreateEntry(sheetEntry, CompressionLevel.Fastest).Open();
                using var sheet = new SheetXml(sheetStream, columns);
                sheet.Start();
                uint rowIndex = 1;
                sheet.Row(rowIndex, columns.Select(c => (object?)c.Header).ToArray(), header: true);
                await foreach (var row in rows.WithCancellation(ct))
                {
                    sheet.Row(++rowIndex, row, header: false);
                }

                sheet.End(rowIndex);
            }

            await using var result = new FileStream(temp, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
            await result.CopyToAsync(output, ct);
        }
        finally
        {
            System.IO.File.Delete(temp);
        }
    }

    /// <summary>Convenience for lists already in memory.</summary>
    public static Task WriteAsync(Stream output, string sheetName, IReadOnlyList<XlsxColumn> columns, IEnumerable<object?[]> rows, CancellationToken ct) =>
        WriteAsync(output, sheetName, columns, ToAsync(rows), ct);

    /// <summary>A file-download result for a ledger export, named e.g. 审计记录_20261122.xlsx.</summary>
    public static IResult File(string baseName, string sheetName, IReadOnlyList<XlsxColumn> columns, IAsyncEnumerable<object?[]> rows, TimeProvider clock) =>
        Results.Stream(
            stream => WriteAsync(stream, sheetName, columns, rows, CancellationToken.None),
            ContentType,
            $"{baseName}_{ChinaTime.ToChina(clock.GetUtcNow().UtcDateTime):yyyyMMdd}.xlsx");

    public static IResult File(string baseName, string sheetName, IReadOnlyList<XlsxColumn> columns, IEnumerable<object?[]> rows, TimeProvider clock) =>
        File(baseName, sheetName, columns, ToAsync(rows), clock);

    private static async IAsyncEnumerable<object?[]> ToAsync(IEnumerable<object?[]> rows)
    {
        foreach (var row in rows)
        {
            yield return row;
        }

        await Task.CompletedTask;
    }

    /// <summary>At least as wide as the header (a Chinese character takes about two width units), so headers fit on one line.</summary>
    internal static double WidthOf(XlsxColumn column) =>
        Math.Max(column.Width, column.Header.Sum(c => c > 0x2E80 ? 2.1 : 1.1) + 2);

    public static string ColumnName(int index)
    {
        var name = "";
        index++;
        while (index > 0)
        {
            var rem = (index - 1) % 26;
            name = (char)('A' + rem) + name;
            index = (index - 1) / 26;
        }

        return name;
    }

    private static string SafeSheetName(string name)
    {
        var cleaned = new string(name.Where(c => !"[]:*?/\\".Contains(c)).ToArray());
        return cleaned.Length switch { 0 => "Sheet1", > 31 => cleaned[..31], _ => cleaned };
    }

    private static void AddStyles(WorkbookPart workbook)
    {
        var styles = workbook.AddNewPart<WorkbookStylesPart>();
        styles.Stylesheet = new Stylesheet(
            new NumberingFormats(
                new NumberingFormat { NumberFormatId = 164, FormatCode = "yyyy-mm-dd hh:mm" },
                new NumberingFormat { NumberFormatId = 165, FormatCode = "yyyy-mm-dd" }) { Count = 2 },
            new Fonts(
                new Font(new FontSize { Val = 11 }, new FontName { Val = "等线" }),
                new Font(new Bold(), new FontSize { Val = 11 }, new FontName { Val = "等线" })) { Count = 2 },
            new Fills(
                new Fill(new PatternFill { PatternType = PatternValues.None }),
                new Fill(new PatternFill { PatternType = PatternValues.Gray125 }),
                new Fill(new PatternFill(new ForegroundColor { Rgb = "FFDDEBF7" }) { PatternType = PatternValues.Solid })) { Count = 3 },
            new Borders(
                new Border(),
                new Border(
                    new LeftBorder { Style = BorderStyleValues.Thin },
                    new RightBorder { Style = BorderStyleValues.Thin },
                    new TopBorder { Style = BorderStyleValues.Thin },
                    new BottomBorder { Style = BorderStyleValues.Thin },
                    new DiagonalBorder())) { Count = 2 },
            new CellFormats(
                new CellFormat(),
                new CellFormat { FontId = 1, FillId = 2, BorderId = 1, ApplyFont = true, ApplyFill = true, ApplyBorder = true, Alignment = new Alignment { Horizontal = HorizontalAlignmentValues.Center, Vertical = VerticalAlignmentValues.Center, WrapText = true }, ApplyAlignment = true },
                new CellFormat { NumberFormatId = 164, ApplyNumberFormat = true },
                new CellFormat { NumberFormatId = 165, ApplyNumberFormat = true },
                new CellFormat { Alignment = new Alignment { WrapText = true, Vertical = VerticalAlignmentValues.Top }, ApplyAlignment = true }) { Count = 5 });
        styles.Stylesheet.Save();
    }
}
