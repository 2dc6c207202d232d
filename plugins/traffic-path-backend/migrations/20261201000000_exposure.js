/*
 * The ownership review's tables: one exposure summary per entity and
 * cluster, and the changes between two summaries. Times are ISO 8601 UTC
 * strings (Date#toISOString), which sort as the times do in SQLite and
 * PostgreSQL alike.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('exposure_summaries', table => {
    table.comment('The last exposure summary of each entity in each cluster');
    table.string('entity_ref', 512).notNullable();
    table.string('cluster', 255).notNullable();
    table.string('owner', 512).nullable().index();
    table.string('system', 512).nullable().index();
    table
      .text('entries')
      .notNullable()
      .comment('JSON: the entry points (ExposureEntry[] without secrets)');
    table.string('scanned_at', 32).nullable();
    table.string('changed_at', 32).nullable();
    table.text('error').nullable().comment('JSON: the last failed scan');
    table.primary(['entity_ref', 'cluster']);
  });
  await knex.schema.createTable('exposure_changes', table => {
    table.comment('What changed between two summaries of an entity');
    table.bigIncrements('id').primary();
    table.string('entity_ref', 512).notNullable().index();
    table.string('cluster', 255).notNullable();
    table.string('owner', 512).nullable();
    table.string('system', 512).nullable();
    table.string('at', 32).notNullable().index();
    table.text('change').notNullable().comment('JSON: an ExposureChange');
    table.index(['owner', 'at']);
    table.index(['system', 'at']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('exposure_changes');
  await knex.schema.dropTable('exposure_summaries');
};
