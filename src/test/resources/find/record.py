#!/usr/bin/python3
"""Records Ansible 2.14's find on the tree of tree.sh for each case of cases.yml into answers.json."""
import json, os, subprocess, tempfile, yaml

here = os.path.dirname(os.path.abspath(__file__))
answers = {}
for c in yaml.safe_load(open(os.path.join(here, 'cases.yml'))):
    root = tempfile.mkdtemp()
    subprocess.run([os.path.join(here, 'tree.sh'), root], check=True)
    args = dict(c['args'])
    args['paths'] = [p.replace('ROOT', root) for p in args.get('paths', [root])]
    r = subprocess.run(['ansible', '-i', 'localhost,', '-c', 'local', '-o', '-m', 'find', '-a', json.dumps(args), 'localhost'],
                       capture_output=True, text=True)
    line = r.stdout.strip().splitlines()[-1]
    out = json.loads(line[line.index('{'):])
    rel = lambda p: p.replace(root, 'ROOT')
    answers[c['name']] = {
        'matched': out['matched'], 'examined': out['examined'], 'msg': out['msg'],
        'skipped_paths': {rel(k): rel(v) for k, v in out['skipped_paths'].items()},
        'paths': sorted(rel(f['path']) for f in out['files']),
        'keys': sorted(out['files'][0].keys()) if out['files'] else [],
        'checksums': {rel(f['path']): f['checksum'] for f in out['files'] if 'checksum' in f},
        'modes': {rel(f['path']): [f['mode'], f['isreg'], f['isdir'], f['islnk'], f['size'] if f['isreg'] else None] for f in out['files']},
    }
json.dump(answers, open(os.path.join(here, 'answers.json'), 'w'), indent=1, sort_keys=True)
