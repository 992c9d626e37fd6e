using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Orders.Data.Migrations
{
    /// <inheritdoc />
    public partial class CheckoutInSteps : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "card_brand",
                table: "orders",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "card_last4",
                table: "orders",
                type: "character varying(4)",
                maxLength: 4,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "rejection_reason",
                table: "orders",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "shipping_address_city",
                table: "orders",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "shipping_address_country",
                table: "orders",
                type: "character varying(2)",
                maxLength: 2,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "shipping_address_line1",
                table: "orders",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "shipping_address_line2",
                table: "orders",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "shipping_address_name",
                table: "orders",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "shipping_address_postal_code",
                table: "orders",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "shipping_address_region",
                table: "orders",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "shipping_cost",
                table: "orders",
                type: "numeric(10,2)",
                precision: 10,
                scale: 2,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.AddColumn<string>(
                name: "shipping_method",
                table: "orders",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "subtotal",
                table: "orders",
                type: "numeric(12,2)",
                precision: 12,
                scale: 2,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.AddColumn<decimal>(
                name: "tax",
                table: "orders",
                type: "numeric(10,2)",
                precision: 10,
                scale: 2,
                nullable: false,
                defaultValue: 0m);

            // Orders from before checkout had steps were charged their lines only: no shipping, no tax.
            migrationBuilder.Sql("UPDATE orders SET subtotal = total;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "card_brand",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "card_last4",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "rejection_reason",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "shipping_address_city",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "shipping_address_country",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "shipping_address_line1",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "shipping_address_line2",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "shipping_address_name",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "shipping_address_postal_code",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "shipping_address_region",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "shipping_cost",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "shipping_method",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "subtotal",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "tax",
                table: "orders");
        }
    }
}
