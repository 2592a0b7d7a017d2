package code

// flatNode is one node of a tree in preorder, as the parser hands it over.
type flatNode struct {
	kind, field string
	named       bool
	start, end  int
	nchild      int
}

// buildTree links n preorder nodes into a tree. Nodes and child lists are
// carved out of two slabs, so a file's tree costs two allocations.
func buildTree(n int, at func(int) flatNode) *Node {
	if n == 0 {
		return &Node{Kind: "program", Named: true}
	}
	nodes := make([]Node, n)
	kids := make([]*Node, n) // every node but the root is someone's child
	type frame struct {
		node *Node
		left int
	}
	stack := make([]frame, 0, 64)
	next := 0 // next free slot in kids
	for i := range n {
		f := at(i)
		nd := &nodes[i]
		nd.Kind, nd.Field, nd.Named, nd.Start, nd.End = f.kind, f.field, f.named, f.start, f.end
		for len(stack) > 0 && stack[len(stack)-1].left == 0 {
			stack = stack[:len(stack)-1]
		}
		if len(stack) > 0 {
			top := &stack[len(stack)-1]
			nd.Parent = top.node
			top.node.Children = append(top.node.Children, nd)
			top.left--
		}
		if f.nchild > 0 && next+f.nchild <= len(kids) {
			nd.Children = kids[next : next : next+f.nchild]
			next += f.nchild
			stack = append(stack, frame{node: nd, left: f.nchild})
		}
	}
	return &nodes[0]
}
