namespace Federation.Gateway.Tests.Fixtures;

/// <summary>Files of the repository the tests run from: the committed supergraph, the web app, the benchmark.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string SupergraphSdl => File.ReadAllText(Path.Combine(Root, "schema", "supergraph.graphql"));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "schema", "supergraph.graphql")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("schema/supergraph.graphql not found above the test output directory.");
    }
}
