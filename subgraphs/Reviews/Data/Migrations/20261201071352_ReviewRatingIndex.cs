using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Reviews.Data.Migrations
{
    /// <inheritdoc />
    public partial class ReviewRatingIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_reviews_product_id_rating_created_at_id",
                table: "reviews",
                columns: new[] { "product_id", "rating", "created_at", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_reviews_product_id_rating_created_at_id",
                table: "reviews");
        }
    }
}
