using System.Globalization;

namespace Federation.Testing.Servers;

/// <summary>
/// Throwaway server folders under <c>.federation/test/</c> in the repository (or <c>/tmp</c> when the
/// <c>postgres</c> user cannot reach the repository). Each folder records its owner's pid, so folders left
/// by a test host that was killed are removed by the next run.
/// </summary>
public static class TestDirectories
{
    private const string OwnerFile = "owner.pid";
    private static readonly Lazy<string> BasePath = new(ChooseBase);

    public static string Base => BasePath.Value;

    /// <summary>Creates a new, empty folder whose name starts with <paramref name="prefix"/>.</summary>
    public static string Create(string prefix)
    {
        var path = Path.Combine(Base, $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)]);
        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, OwnerFile), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        return path;
    }

    public static void Delete(string path)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                if (Directory.Exists(path))
                {
                    Directory.Delete(path, recursive: true);
                }

                return;
            }
            catch (IOException)
            {
                // A server that was just killed may still be removing its own files.
                Thread.Sleep(200);
            }
        }
    }

    private static string ChooseBase()
    {
        var inRepository = Path.Combine(RepositoryPaths.Root, ".federation", "test");
        var chosen = OthersCanTraverse(RepositoryPaths.Root) ? inRepository : Path.Combine(Path.GetTempPath(), "federation-test");
        Directory.CreateDirectory(chosen);
        SweepAbandoned(chosen);
        return chosen;
    }

    /// <summary>PostgreSQL refuses to run as root, so its data folder must be reachable by the postgres user.</summary>
    private static bool OthersCanTraverse(string path)
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
        {
            return true;
        }

        for (var directory = new DirectoryInfo(path); directory is not null; directory = directory.Parent)
        {
            if (!File.GetUnixFileMode(directory.FullName).HasFlag(UnixFileMode.OtherExecute))
            {
                return false;
            }
        }

        return true;
    }

    private static void SweepAbandoned(string basePath)
    {
        foreach (var directory in Directory.EnumerateDirectories(basePath))
        {
            var owner = Path.Combine(directory, OwnerFile);
            if (File.Exists(owner)
                && int.TryParse(File.ReadAllText(owner), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && !IsRunning(pid))
            {
                Delete(directory);
            }
        }
    }

    private static bool IsRunning(int pid) => pid == Environment.ProcessId || Directory.Exists($"/proc/{pid}");
}
