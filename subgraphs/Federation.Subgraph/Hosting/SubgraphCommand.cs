namespace Federation.Subgraph.Hosting;

public enum SubgraphCommandKind
{
    Serve,
    PrintSchema,
    AddMigration,
    Usage,
}

/// <summary>The subgraph's own command line; everything that is not a command goes to the host.</summary>
public sealed record SubgraphCommand(SubgraphCommandKind Kind, string? Argument, string[] HostArgs)
{
    public static SubgraphCommand Parse(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith('-'))
            return new(SubgraphCommandKind.Serve, null, args);

        return args switch
        {
            ["schema", "print", .. var rest] => new(SubgraphCommandKind.PrintSchema, null, rest),
            ["migrations", "add", var name, .. var rest] when IsIdentifier(name) => new(SubgraphCommandKind.AddMigration, name, rest),
            _ => new(SubgraphCommandKind.Usage, string.Join(' ', args), []),
        };
    }

    public static string UsageText(string? given) =>
        $"""
        Unknown command: {given}
        Usage:
          <subgraph> [--urls http://127.0.0.1:PORT]   migrate the database, then serve GraphQL at /graphql
          <subgraph> schema print                     print the federation SDL (no database needed)
          <subgraph> migrations add <Name>            scaffold an EF Core migration into Data/Migrations
        """;

    private static bool IsIdentifier(string name) =>
        name.Length > 0 && char.IsLetter(name[0]) && name.All(c => char.IsLetterOrDigit(c) || c == '_');
}
