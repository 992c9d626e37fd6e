namespace Federation.Testing;

/// <summary>Committed contract files the tests compare generated text with.</summary>
public static class ContractFiles
{
    /// <summary>
    /// The committed text of <paramref name="path"/> ("(missing)" when absent); with FEDERATION_UPDATE_EVENT_CONTRACTS=1
    /// it is first overwritten with <paramref name="generated"/>, for an intended change to be reviewed and committed.
    /// </summary>
    public static string ReadOrUpdate(string path, string generated)
    {
        if (Environment.GetEnvironmentVariable("FEDERATION_UPDATE_EVENT_CONTRACTS") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, generated);
        }

        return File.Exists(path) ? File.ReadAllText(path) : "(missing)";
    }
}
