namespace Catalog.Data;

public sealed class Product
{
    public const int NameMaxLength = 200;
    public const int DescriptionMaxLength = 4000;
    public const decimal MaxPrice = 1_000_000m;

    public int Id { get; set; }
    public string Name { get; set; } = "";
    public string Description { get; set; } = "";
    public decimal Price { get; set; }
    public int CategoryId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    // Read models: other services own these facts and publish them as events.
    public decimal RatingAverage { get; set; }
    public int ReviewCount { get; set; }
    public int RatingTotal { get; set; }
    public bool InStock { get; set; }
}
