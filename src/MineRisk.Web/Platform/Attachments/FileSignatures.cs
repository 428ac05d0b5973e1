namespace MineRisk.Web.Platform.Attachments;

/// <summary>What a file really is, by its first bytes ("magic numbers"), whatever its name says.</summary>
public enum DetectedType
{
    Unknown,
    Jpeg,
    Png,
    Gif,
    Webp,
    Pdf,
    /// <summary>A ZIP container: .docx, .xlsx, .pptx.</summary>
    OfficeZip,
    /// <summary>The legacy OLE compound file: .doc, .xls.</summary>
    OfficeOle,
    Executable,
}

public static class FileSignatures
{
    /// <summary>How many leading bytes <see cref="Detect"/> needs.</summary>
    public const int HeaderLength = 16;

    public static DetectedType Detect(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return DetectedType.Jpeg;
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return DetectedType.Png;
        }

        if (head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8))
        {
            return DetectedType.Gif;
        }

        if (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8))
        {
            return DetectedType.Webp;
        }

        if (head.StartsWith("%PDF-"u8))
        {
            return DetectedType.Pdf;
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0x50, 0x4B, 0x03, 0x04]))
        {
            return DetectedType.OfficeZip;
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]))
        {
            return DetectedType.OfficeOle;
        }

        // Windows PE ("MZ"), Linux ELF, Mach-O (both byte orders, 32/64 bit, fat), and scripts with a shebang.
        if (head.StartsWith("MZ"u8) || head.StartsWith((ReadOnlySpan<byte>)[0x7F, 0x45, 0x4C, 0x46]) || head.StartsWith("#!"u8)
            || head.StartsWith((ReadOnlySpan<byte>)[0xCF, 0xFA, 0xED, 0xFE]) || head.StartsWith((ReadOnlySpan<byte>)[0xCE, 0xFA, 0xED, 0xFE])
            || head.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xED, 0xFA, 0xCF]) || head.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xED, 0xFA, 0xCE])
            || head.StartsWith((ReadOnlySpan<byte>)[0xCA, 0xFE, 0xBA, 0xBE]))
        {
            return DetectedType.Executable;
        }

        return DetectedType.Unknown;
    }
}
