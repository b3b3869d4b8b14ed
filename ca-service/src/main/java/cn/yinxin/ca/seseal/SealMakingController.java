package cn.yinxin.ca.seseal;

import cn.yinxin.core.pki.Pem;
import cn.yinxin.service.audit.Actors;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.security.GeneralSecurityException;
import java.util.stream.Collectors;

/**
 * GB/T 38540 seal making: POST the DER SES_SealInfo, get the DER SESeal signed by the seal maker's SM2 key
 * (over DER SEQUENCE { eSealInfo, cert, signAlgID }); GET the seal maker's certificate chain.
 */
@RestController
public class SealMakingController {

    static final MediaType DER = MediaType.APPLICATION_OCTET_STREAM;

    private final SealMaking making;

    public SealMakingController(SealMaking making) {
        this.making = making;
    }

    @PostMapping(path = "/api/v1/seseals", consumes = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    public ResponseEntity<byte[]> make(@RequestBody byte[] sealInfo, HttpServletRequest http)
            throws GeneralSecurityException {
        return ResponseEntity.ok().contentType(DER).body(making.make(sealInfo, Actors.of(http)).der());
    }

    @GetMapping("/api/v1/seal-maker/certificate")
    public ResponseEntity<String> certificate() {
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/pem-certificate-chain"))
                .body(making.key().chain().stream().map(Pem::encode).collect(Collectors.joining()));
    }
}
