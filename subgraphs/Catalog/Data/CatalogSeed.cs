using Microsoft.EntityFrameworkCore;

namespace Catalog.Data;

/// <summary>
/// The deterministic catalog every service agrees on: product ids 1..500 and category ids 1..12 are
/// the same on every machine, so other services' seeds can refer to them.
/// </summary>
public static class CatalogSeed
{
    public const int ProductCount = 500;
    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 9, 0, 0, TimeSpan.Zero);

    private static readonly (string Name, string Slug, string Description, string[] Nouns, decimal MinPrice, decimal MaxPrice)[] Categories =
    [
        ("Electronics", "electronics", "Gadgets, audio and accessories for everyday tech.", ["Headphones", "Speaker", "Charger", "Power Bank", "Smartwatch", "Earbuds"], 15m, 450m),
        ("Computers", "computers", "Laptops, peripherals and components.", ["Keyboard", "Mouse", "Monitor", "Webcam", "USB Hub", "Laptop Stand"], 12m, 1200m),
        ("Home & Kitchen", "home-kitchen", "Cookware, appliances and tools for the home.", ["Chef's Knife", "Skillet", "Kettle", "Blender", "Cutting Board", "Dutch Oven"], 8m, 320m),
        ("Furniture", "furniture", "Chairs, desks, shelves and storage.", ["Desk Chair", "Bookshelf", "Side Table", "Standing Desk", "Stool", "Coat Rack"], 35m, 900m),
        ("Sports & Outdoors", "sports-outdoors", "Gear for training, hiking and camping.", ["Yoga Mat", "Water Bottle", "Tent", "Backpack", "Trekking Poles", "Jump Rope"], 6m, 380m),
        ("Clothing", "clothing", "Everyday wear for all seasons.", ["Hoodie", "T-Shirt", "Rain Jacket", "Wool Socks", "Chinos", "Beanie"], 9m, 240m),
        ("Shoes", "shoes", "Sneakers, boots and sandals.", ["Running Shoes", "Hiking Boots", "Sneakers", "Sandals", "Loafers", "Slippers"], 19m, 260m),
        ("Books", "books", "Fiction, non-fiction and reference.", ["Cookbook", "Field Guide", "Novel", "Atlas", "Notebook", "Sketchbook"], 5m, 75m),
        ("Toys & Games", "toys-games", "Puzzles, board games and building sets.", ["Board Game", "Puzzle", "Building Set", "Card Game", "Kite", "Yo-Yo"], 5m, 150m),
        ("Beauty", "beauty", "Skin care, hair care and grooming.", ["Face Cream", "Shampoo", "Beard Oil", "Hair Dryer", "Lip Balm", "Sunscreen"], 4m, 180m),
        ("Garden", "garden", "Tools and supplies for gardens and balconies.", ["Pruning Shears", "Watering Can", "Planter", "Garden Hose", "Seed Kit", "Trowel"], 6m, 210m),
        ("Pet Supplies", "pet-supplies", "Food, toys and beds for pets.", ["Dog Bed", "Cat Tree", "Leash", "Food Bowl", "Chew Toy", "Litter Box"], 5m, 190m),
    ];

    private static readonly string[] Adjectives =
        ["Classic", "Compact", "Deluxe", "Essential", "Everyday", "Heritage", "Lightweight", "Modern", "Nordic", "Pro", "Rugged", "Smart", "Studio", "Ultra", "Urban", "Vintage"];

    private static readonly string[] Materials =
        ["Bamboo", "Canvas", "Carbon", "Ceramic", "Cotton", "Leather", "Linen", "Maple", "Oak", "Recycled", "Steel", "Walnut", "Wool"];

    private static readonly string[] Qualities =
        ["built to last", "easy to clean", "designed for daily use", "backed by a two-year warranty", "made from responsibly sourced materials",
         "tested by our team for months", "packed in plastic-free packaging", "a favourite of our customers"];

    public static async Task SeedAsync(CatalogDbContext db, CancellationToken cancellationToken)
    {
        if (await db.Categories.AnyAsync(cancellationToken))
            return;

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Categories.AddRange(CreateCategories());
        db.Products.AddRange(CreateProducts());
        await db.SaveChangesAsync(cancellationToken);
        // Rows were inserted with explicit ids; move the identity sequences past them.
        await db.Database.ExecuteSqlRawAsync(
            "SELECT setval(pg_get_serial_sequence('categories', 'id'), (SELECT max(id) FROM categories));" +
            "SELECT setval(pg_get_serial_sequence('products', 'id'), (SELECT max(id) FROM products));",
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public static IEnumerable<Category> CreateCategories() =>
        Categories.Select((c, i) => new Category { Id = i + 1, Name = c.Name, Slug = c.Slug, Description = c.Description });

    public static IEnumerable<Product> CreateProducts()
    {
        // A fixed seed with the legacy algorithm that `new Random(int)` keeps stable across .NET versions.
        var random = new Random(20260101);
        for (var id = 1; id <= ProductCount; id++)
        {
            var categoryIndex = (id - 1) % Categories.Length;
            var category = Categories[categoryIndex];
            var noun = category.Nouns[random.Next(category.Nouns.Length)];
            var adjective = Adjectives[random.Next(Adjectives.Length)];
            var material = Materials[random.Next(Materials.Length)];
            var cents = (long)(category.MinPrice * 100) + random.NextInt64((long)((category.MaxPrice - category.MinPrice) * 100));
            // Retail prices end in .99 or .49.
            var price = Math.Max(1m, Math.Floor(cents / 100m)) + (random.Next(2) == 0 ? 0.99m : 0.49m);
            yield return new Product
            {
                Id = id,
                Name = $"{adjective} {material} {noun} {id:000}",
                Description = $"The {adjective.ToLowerInvariant()} {noun.ToLowerInvariant()} in {material.ToLowerInvariant()}, " +
                              $"{Qualities[random.Next(Qualities.Length)]} and {Qualities[random.Next(Qualities.Length)]}.",
                Price = price,
                CategoryId = categoryIndex + 1,
                CreatedAt = Epoch.AddHours(id * 7),
                InStock = true,
            };
        }
    }
}
