import json,glob,re,os,sys
base=sys.argv[1]; bad=0
Q='“”‘’"\'「」'
for gf in sorted(glob.glob(base+'/gold/*.json')):
    d=json.load(open(gf)); raw=open(base+'/corpus/'+d['doc']).read()
    joined=raw.replace('\n',''); nows=re.sub(r'\s','',raw); noq=nows.translate({ord(c):None for c in Q})
    ids={e['id'] for e in d['entities']}
    assert len(ids)==len(d['entities']),'dup id'
    for e in d['entities']:
        for n in [e['name']]+e['aliases']:
            if n.translate({ord(c):None for c in Q}) not in noq: print(gf,'NAME',n); bad+=1
    for x in d['relations']+d['figures']:
        if x['subject'] not in ids and x['subject'] is not None: print('ID',x); bad+=1
        if 'object' in x and x['object']!='DOC' and x['object'] not in ids: print('ID',x); bad+=1
        if x['evidence'] not in joined: print(gf,'EVID-joined',x['evidence']); 
        if re.sub(r'\s','',x['evidence']) not in nows: print(gf,'EVID',x['evidence']); bad+=1
    for fi in d['figures']:
        v=fi['value']; s=str(v).rstrip('0').rstrip('.') if isinstance(v,float) else str(v)
        if s not in re.sub(r'\s','',fi['evidence']) and fi['value']!=1000: print('VAL?',fi)
    print(gf.split('/')[-1], len(d['entities']),len(d['relations']),len(d['figures']))
print('bad',bad)
