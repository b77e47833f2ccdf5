// etcd's own command, built from its server module: the etcd/v3 root module that ships it is not meant as a dependency.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
