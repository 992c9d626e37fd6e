using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace Federation.Kafka;

/// <summary>
/// Loads the librdkafka build that has no libsasl2 dependency before Confluent.Kafka touches the native library.
/// </summary>
public static class KafkaNativeLibrary
{
    /// <summary>Overrides the library path (for a machine whose runtime folder layout differs).</summary>
    public const string PathVariable = "FEDERATION_LIBRDKAFKA_PATH";

    private const string FileName = "centos8-librdkafka.so";
    private static readonly Lock Gate = new();
    private static string? loadedPath;

    /// <summary>Path of the library that was loaded, or null before the first call.</summary>
    public static string? LoadedPath => loadedPath;

    /// <summary>
    /// Loads the bundled centos8 variant once per process. Confluent.Kafka otherwise picks the default
    /// variant, which links libsasl2.so.3 that Debian does not ship, and fails on first use.
    /// </summary>
    /// <returns>The path of the loaded library.</returns>
    public static string EnsureLoaded()
    {
        if (loadedPath is { } path)
        {
            return path;
        }

        lock (Gate)
        {
            if (loadedPath is not null)
            {
                return loadedPath;
            }

            var candidate = Locate();
            if (!Library.IsLoaded)
            {
                // Confluent.Kafka dlopens through DllImport("libdl"), which only glibc's dev package provides
                // unversioned, and then binds DllImport("librdkafka"), which would resolve to the default
                // variant in runtimes/; both names are pinned here before the first call.
                NativeLibrary.SetDllImportResolver(typeof(Library).Assembly, (name, _, _) => name switch
                {
                    "libdl" => NativeLibrary.Load("libdl.so.2"),
                    "librdkafka" => NativeLibrary.Load(candidate),
                    _ => IntPtr.Zero,
                });
                Library.Load(candidate);
            }

            loadedPath = candidate;
            return candidate;
        }
    }

    /// <summary>Finds the bundled library without loading it.</summary>
    public static string Locate()
    {
        var overridden = Environment.GetEnvironmentVariable(PathVariable);
        if (!string.IsNullOrWhiteSpace(overridden))
        {
            return File.Exists(overridden)
                ? overridden
                : throw new FileNotFoundException($"{PathVariable} points to a missing file.", overridden);
        }

        var baseDirectory = AppContext.BaseDirectory;
        string[] candidates =
        [
            Path.Combine(baseDirectory, "runtimes", "linux-x64", "native", FileName),
            Path.Combine(baseDirectory, FileName),
        ];

        return candidates.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException(
                $"{FileName} was not found next to the application ({string.Join(", ", candidates)}). "
                + "Reference Confluent.Kafka from an executable project so librdkafka.redist copies its runtimes folder, "
                + $"or set {PathVariable}.");
    }
}
