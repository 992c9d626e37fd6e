using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Notifications.Data.Migrations
{
    /// <inheritdoc />
    public partial class AddNotificationOrderId : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "order_id",
                table: "notifications",
                type: "integer",
                nullable: true);

            // Rows written before the column existed name their order only in the text ("Your order #1234 (...)").
            migrationBuilder.Sql("UPDATE notifications SET order_id = substring(message from '#([0-9]+)')::integer WHERE kind <> 'Welcome' AND message ~ '#[0-9]+';");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "order_id",
                table: "notifications");
        }
    }
}
