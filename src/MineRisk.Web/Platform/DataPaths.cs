namespace MineRisk.Web.Platform;

/// <summary>
/// Where the app keeps files: <c>Data:Directory</c> (default <c>./data</c>, relative to the working directory).
/// Holds the SQLite database, attachments, and (later) the feed inbox and archive. Back this folder up.
/// </summary>
public sealed class DataPaths
{
    public DataPaths(string root)
    {
        Root = Path.GetFullPath(root);
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string Attachments => Sub("attachments");

    public string Sub(string name)
    {
        var path = Path.Combine(Root, name);
        Directory.CreateDirectory(path);
        return path;
    }
}
