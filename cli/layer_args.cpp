#include "cli/layer_args.h"

namespace silo::cli {

void add_layer_commands(CLI::App& app, LayerArgs& a) {
  auto* layer = app.add_subcommand("layer", "Manage layers");
  layer->require_subcommand(1);
  auto* import = layer->add_subcommand("import", "Import a tar (or gzip-compressed tar) as a layer and print its id");
  import->add_option("file", a.file, "The tar file, or - to read it from standard input")->required();
  import->add_option("--parent", a.parent, "The layer this one is a diff on (id or unique prefix)");
  layer->add_subcommand("ls", "List layers");
  layer->add_subcommand("inspect", "Show layers as JSON")->add_option("layer", a.refs, "Layer id or unique prefix")->required();
  layer->add_subcommand("rm", "Remove layers (refused while a child layer or a container uses one)")
      ->add_option("layer", a.refs, "Layer id or unique prefix")
      ->required();
  for (auto* sub : layer->get_subcommands({})) {
    sub->callback([&a, sub] { a.action = sub->get_name(); });
  }
}

}  // namespace silo::cli
