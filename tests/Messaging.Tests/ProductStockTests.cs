using System.Globalization;
using Federation.Testing.Security;
using Federation.Testing.Servers;
using Federation.Testing.Subgraphs;
using Npgsql;

namespace Messaging.Tests;

/// <summary>
/// Inventory and catalog as separate processes: StockChanged events keep Product.inStock in catalog, and a product
/// catalog creates (ProductCreated) becomes a stock item inventory can receive stock for.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class ProductStockTests(MessagingFixture fixture)
{
    private const string Adjust = "mutation($productId: ID!, $delta: Int!) { adjustStock(productId: $productId, delta: $delta) { errors { code message } } }";

    [Fact]
    public async Task StockChanges_Should_DriveCatalogInStock_When_SeededAndWhenAdjusted()
    {
        // arrange
        var catalogDb = await fixture.CreateDatabaseAsync("st_catalog");
        var inventoryDb = await fixture.CreateDatabaseAsync("st_inventory");
        // A cluster of its own: the services' topic names are fixed, so a shared cluster would mix tests' events.
        await using var cluster = await KafkaMockCluster.StartAsync();
        var kafka = cluster.BootstrapServers;
        var group = Guid.NewGuid().ToString("N");
        var catalogStart = SubgraphProcess.StartAsync("Catalog", ServiceSettings.For("Catalog", catalogDb, kafka, group));
        var inventoryStart = SubgraphProcess.StartAsync("Inventory", ServiceSettings.For("Inventory", inventoryDb, kafka, group));
        await using var catalog = await catalogStart;
        await using var inventory = await inventoryStart;
        await Propagation.WaitForCountAsync(() => Propagation.ScalarAsync(catalogDb, "SELECT count(*) FROM inbox_messages WHERE type = 'StockChanged'"), 500, "catalog to learn the seeded stock", catalog, inventory);
        var seededCatalog = await InStockAsync(catalogDb, "SELECT id, in_stock FROM products WHERE id <= 500 ORDER BY id");
        var seededInventory = await InStockAsync(inventoryDb, "SELECT product_id, on_hand - reserved > 0 FROM stock_items ORDER BY product_id");
        var product = seededInventory.First(p => p.InStock).ProductId;
        var available = await Propagation.ScalarAsync(inventoryDb, $"SELECT on_hand - reserved FROM stock_items WHERE product_id = {product}");

        // act
        await AdjustAsync(inventory, product, -(int)available);
        await Propagation.WaitForAsync(async () => !await CatalogInStockAsync(catalog, product), "catalog to see the product sold out");
        await AdjustAsync(inventory, product, 3);
        await Propagation.WaitForAsync(async () => await CatalogInStockAsync(catalog, product), "catalog to see the product back in stock");
        var created = int.Parse(await CatalogProducts.CreateAsync(catalog, "Stock Probe", 9.5m), CultureInfo.InvariantCulture);
        await Propagation.WaitForAsync(async () => await Propagation.ScalarAsync(inventoryDb, $"SELECT count(*) FROM stock_items WHERE product_id = {created}") == 1, "inventory to track the new product", catalog, inventory);
        var newProductInStockBefore = await CatalogInStockAsync(catalog, created);
        await AdjustAsync(inventory, created, 7);
        await Propagation.WaitForAsync(async () => await CatalogInStockAsync(catalog, created), "catalog to see the new product in stock");

        // assert
        Assert.Equal(seededInventory, seededCatalog);
        Assert.Contains(seededInventory, p => !p.InStock);
        Assert.False(newProductInStockBefore);
        Assert.Equal(7, await Propagation.ScalarAsync(inventoryDb, $"SELECT on_hand FROM stock_items WHERE product_id = {created}"));
        // The seeded products' ProductCreated events found them tracked: no row and no StockChanged beyond the new one.
        await Propagation.WaitForAsync(async () => await Propagation.ScalarAsync(inventoryDb, "SELECT count(*) FROM inbox_messages WHERE type = 'ProductCreated'") == 501, "inventory to consume every ProductCreated", catalog, inventory);
        Assert.Equal(501, await Propagation.ScalarAsync(inventoryDb, "SELECT count(*) FROM stock_items"));
        Assert.Equal(504, await Propagation.ScalarAsync(catalogDb, "SELECT count(*) FROM inbox_messages WHERE type = 'StockChanged'"));
    }

    private static async Task AdjustAsync(SubgraphProcess inventory, int productId, int delta)
    {
        var response = await inventory.QueryAsync(TestCaller.Admin, Adjust, new { productId = productId.ToString(CultureInfo.InvariantCulture), delta });
        Assert.Empty(response["data"]!["adjustStock"]!["errors"]!.AsArray());
    }

    private static async Task<bool> CatalogInStockAsync(SubgraphProcess catalog, int productId)
    {
        var response = await catalog.QueryAsync($$"""{ product(id: "{{productId}}") { inStock } }""");
        return response["data"]!["product"]!["inStock"]!.GetValue<bool>();
    }

    private static async Task<List<(int ProductId, bool InStock)>> InStockAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        // The SQL is written in this file.
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(int, bool)>();
        while (await reader.ReadAsync())
            rows.Add((reader.GetInt32(0), reader.GetBoolean(1)));
        return rows;
    }
}
