namespace Federation.Testing;

/// <summary>Files a test leaves for people beside the pass/fail result: figures measured, under <c>test-output/</c>.</summary>
public static class TestOutput
{
    /// <summary>Writes <paramref name="content"/> to <c>test-output/<paramref name="relativePath"/></c> and returns the full path.</summary>
    public static string Write(string relativePath, string content)
    {
        var path = Path.Combine(RepositoryPaths.Root, "test-output", relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }
}
