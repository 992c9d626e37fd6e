using System.Globalization;
using Federation.Subgraph.Seeding;
using Catalog.Events;
using Federation.Subgraph.Messaging.Outbox;
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

    private static readonly (string Name, string Slug, string Description, string[] Nouns)[] Categories =
    [
        ("Electronics", "electronics", "Gadgets, audio and accessories for everyday tech.", ["Headphones", "Speaker", "Charger", "Power Bank", "Smartwatch", "Earbuds"]),
        ("Computers", "computers", "Laptops, peripherals and components.", ["Keyboard", "Mouse", "Monitor", "Webcam", "USB Hub", "Laptop Stand"]),
        ("Home & Kitchen", "home-kitchen", "Cookware, appliances and tools for the home.", ["Chef's Knife", "Skillet", "Kettle", "Blender", "Cutting Board", "Dutch Oven"]),
        ("Furniture", "furniture", "Chairs, desks, shelves and storage.", ["Desk Chair", "Bookshelf", "Side Table", "Standing Desk", "Stool", "Coat Rack"]),
        ("Sports & Outdoors", "sports-outdoors", "Gear for training, hiking and camping.", ["Yoga Mat", "Water Bottle", "Tent", "Backpack", "Trekking Poles", "Jump Rope"]),
        ("Clothing", "clothing", "Everyday wear for all seasons.", ["Hoodie", "T-Shirt", "Rain Jacket", "Wool Socks", "Chinos", "Beanie"]),
        ("Shoes", "shoes", "Sneakers, boots and sandals.", ["Running Shoes", "Hiking Boots", "Sneakers", "Sandals", "Loafers", "Slippers"]),
        ("Books", "books", "Fiction, non-fiction and reference.", ["Cookbook", "Field Guide", "Novel", "Atlas", "Notebook", "Sketchbook"]),
        ("Toys & Games", "toys-games", "Puzzles, board games and building sets.", ["Board Game", "Puzzle", "Building Set", "Card Game", "Kite", "Yo-Yo"]),
        ("Beauty", "beauty", "Skin care, hair care and grooming.", ["Face Cream", "Shampoo", "Beard Oil", "Hair Dryer", "Lip Balm", "Sunscreen"]),
        ("Garden", "garden", "Tools and supplies for gardens and balconies.", ["Pruning Shears", "Watering Can", "Planter", "Garden Hose", "Seed Kit", "Trowel"]),
        ("Pet Supplies", "pet-supplies", "Food, toys and beds for pets.", ["Dog Bed", "Cat Tree", "Leash", "Food Bowl", "Chew Toy", "Litter Box"]),
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
        foreach (var product in CreateProducts())
        {
            db.Products.Add(product);
            // Other services learn the seeded catalog from these events, exactly as they learn later products.
            Outbox.Add(db, CatalogTopics.Product, product.Id.ToString(CultureInfo.InvariantCulture), ProductCreated.From(product));
        }
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
            var categoryIndex = SeedPlan.CategoryOf(id) - 1;
            var category = Categories[categoryIndex];
            var noun = category.Nouns[random.Next(category.Nouns.Length)];
            var adjective = Adjectives[random.Next(Adjectives.Length)];
            var material = Materials[random.Next(Materials.Length)];
            yield return new Product
            {
                Id = id,
                Name = $"{adjective} {material} {noun} {id:000}",
                Description = $"The {adjective.ToLowerInvariant()} {noun.ToLowerInvariant()} in {material.ToLowerInvariant()}, " +
                              $"{Qualities[random.Next(Qualities.Length)]} and {Qualities[random.Next(Qualities.Length)]}.",
                // Prices come from the shared seed plan, so historical orders and the orders read model agree with catalog.
                Price = SeedPlan.ProductPrice(id),
                CategoryId = categoryIndex + 1,
                // One product every 7 hours; moved so that the newest was added 7 hours before the stack was seeded.
                CreatedAt = SeedClock.Shift(Epoch.AddHours(id * 7), Epoch.AddHours((ProductCount + 1) * 7)),
                InStock = SeedPlan.InitiallyInStock(id),
            };
        }
    }
}
