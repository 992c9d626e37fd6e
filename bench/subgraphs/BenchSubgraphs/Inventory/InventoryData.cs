namespace BenchSubgraphs.Inventory;

public static class InventoryData
{
    public static readonly IReadOnlyDictionary<string, bool> InStock = new Dictionary<string, bool>
    {
        ["1"] = true,
        ["2"] = false,
        ["3"] = false,
        ["4"] = false,
        ["5"] = true,
        ["6"] = true,
        ["7"] = true,
        ["8"] = false,
        ["9"] = true,
    };
}
