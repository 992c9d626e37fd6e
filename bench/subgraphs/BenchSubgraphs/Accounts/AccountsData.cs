namespace BenchSubgraphs.Accounts;

public sealed record User(string Id, string? Name, string? Username, int? Birthday);

public static class AccountsData
{
    public static readonly IReadOnlyList<User> Users =
    [
        new("1", "Uri Goldshtein", "urigo", 1234567890),
        new("2", "Dotan Simha", "dotansimha", 1234567890),
        new("3", "Kamil Kisiela", "kamilkisiela", 1234567890),
        new("4", "Arda Tanrikulu", "ardatan", 1234567890),
        new("5", "Gil Gardosh", "gilgardosh", 1234567890),
        new("6", "Laurin Quast", "laurin", 1234567890),
    ];

    public static User? ById(string id) => Users.FirstOrDefault(u => u.Id == id);
}
